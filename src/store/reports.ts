/** Saves a command's report as Markdown + JSON under .fractary/plugins/helm-cloud/reports/ (atomic writes). */
import { PATHS, type Workspace } from '../config/load.js';
import { storeOf, type Store } from './index.js';

export interface SavedReport {
  json: string;
  markdown: string;
  /** Paths relative to .fractary, for issue records and output. */
  relJson: string;
  relMarkdown: string;
}

export function reportStamp(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Where saveReport puts a report, known before it is written (a saved JSON names its own paths). */
export function reportPaths(kind: string, env: string, now: number, suffix = ''): { relJson: string; relMarkdown: string } {
  const base = `${kind}-${env}-${reportStamp(now)}${suffix ? '-' + suffix.replace(/[^A-Za-z0-9_-]/g, '_') : ''}`;
  return { relJson: `${PATHS.reports}/${base}.json`, relMarkdown: `${PATHS.reports}/${base}.md` };
}

export async function saveReport(ws: Workspace | Store, kind: string, env: string, content: { json: unknown; markdown: string }, now: number, suffix = ''): Promise<SavedReport> {
  const store = storeOf(ws);
  const { relJson, relMarkdown } = reportPaths(kind, env, now, suffix);
  await store.replaceJson(relJson, content.json);
  await store.replace(relMarkdown, content.markdown.endsWith('\n') ? content.markdown : content.markdown + '\n');
  return { json: store.location(relJson), markdown: store.location(relMarkdown), relJson, relMarkdown };
}
