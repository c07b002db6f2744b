/** Saves a command's report as Markdown + JSON under .fractary/plugins/helm-cloud/reports/ (atomic writes). */
import { join } from 'node:path';
import { PATHS, type Workspace } from '../config/load.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';

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

export function saveReport(ws: Workspace, kind: string, env: string, content: { json: unknown; markdown: string }, now: number, suffix = ''): SavedReport {
  const base = `${kind}-${env}-${reportStamp(now)}${suffix ? '-' + suffix.replace(/[^A-Za-z0-9_-]/g, '_') : ''}`;
  const relJson = join(PATHS.reports, `${base}.json`);
  const relMarkdown = join(PATHS.reports, `${base}.md`);
  writeJsonAtomic(ws.path(relJson), content.json);
  writeFileAtomic(ws.path(relMarkdown), content.markdown.endsWith('\n') ? content.markdown : content.markdown + '\n');
  return { json: ws.path(relJson), markdown: ws.path(relMarkdown), relJson, relMarkdown };
}
