/**
 * Builds a throw-away project with a .fractary tree from an inline file map. Objects are written as JSON,
 * strings as-is. Defaults give a valid test/prod setup pointing at the test's moto endpoint.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { isHelmError } from '../../src/errors.js';
import { bufferIo } from '../../src/io.js';
import { resolveContext } from '../../src/ops-manager/context.js';

export type FileMap = Record<string, string | object | null>;

export function environmentsFor(endpoint?: string) {
  return {
    environments: {
      test: { region: 'us-east-1', account_id: '123456789012', protected: false, ...(endpoint ? { endpoint_url: endpoint } : {}) },
      prod: { region: 'us-east-1', account_id: '123456789012', protected: true, ...(endpoint ? { endpoint_url: endpoint } : {}) },
    },
  };
}

export interface ResourceSpec {
  type: string;
  name: string;
  [k: string]: unknown;
}

export function registryWith(deployments: { env?: string; project?: string; version?: string; id?: string; at?: string; resources: ResourceSpec[] }[]) {
  return {
    version: 1,
    deployments: deployments.map((d, i) => ({
      id: d.id ?? `dep-${i + 1}`,
      environment: d.env ?? 'test',
      project: d.project ?? 'app',
      version: d.version ?? `1.0.${i}`,
      deployed_at: d.at ?? new Date(Date.now() - 86400_000 + i * 1000).toISOString(),
      region: 'us-east-1',
      resources: d.resources,
    })),
  };
}

/** Creates <tmp>/project/.fractary with the given files (null deletes a default). Returns the project dir. */
export function makeProject(files: FileMap = {}, opts: { defaults?: boolean } = {}): string {
  const project = join(mkdtempSync(join(tmpdir(), 'helm-cloud-')), 'project');
  const all: FileMap = {
    ...(opts.defaults === false
      ? {}
      : {
          'registry/deployments.json': registryWith([]),
          'shared/environments.json': environmentsFor(),
        }),
    ...files,
  };
  for (const [rel, content] of Object.entries(all)) {
    if (content === null) continue;
    const abs = join(project, '.fractary', rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  mkdirSync(join(project, '.fractary'), { recursive: true });
  return project;
}

/** The config error resolving a project raises (it must be bad input, exit 2), described as the user sees it; or 'no error'. */
export function configProblem(project: string, env = 'test'): string {
  try {
    resolveContext({ cwd: project, env, output: 'json' }, bufferIo());
  } catch (e) {
    if (isHelmError(e)) {
      expect(e.exitCode).toBe(2);
      return e.describe();
    }
    throw e;
  }
  return 'no error';
}
