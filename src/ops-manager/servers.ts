/**
 * Context for the monitoring-server families (prometheus, alerts): the workspace when there is one (a bare
 * PROMETHEUS_URL works without a .fractary), the environment when --env is given, and the resolved
 * Prometheus / Alertmanager endpoints.
 */
import { dirname } from 'node:path';
import type { Endpoint } from '../adapters/http/json-api.js';
import { loadCredentials, loadEnvironments, loadMonitoring, openWorkspace, PATHS, resolveEnvironment, type ResolvedEnvironment, type Workspace } from '../config/load.js';
import { notConfigured, resolveServer, type ServerKind } from '../config/monitoring-servers.js';
import type { Monitoring } from '../config/schemas.js';
import { isHelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommonOptions } from './context.js';

export interface ServerOptions extends CommonOptions {
  timeoutMs?: number;
}

export interface ServerContext {
  ws?: Workspace;
  env?: ResolvedEnvironment;
  monitoring?: Monitoring;
  prometheus?: Endpoint;
  alertmanager?: Endpoint;
  now: () => number;
  io: Io;
  options: ServerOptions;
  /** The endpoint, or a config error saying where to set it. */
  need(kind: ServerKind): Endpoint;
}

export function resolveServers(options: ServerOptions, io: Io, overrides: { now?: () => number } = {}): ServerContext {
  let ws: Workspace | undefined;
  try {
    ws = openWorkspace(options.cwd, options.root);
  } catch (e) {
    // Without --root or --env a missing .fractary is fine: PROMETHEUS_URL alone is enough.
    if (options.root || options.env || !isHelmError(e)) throw e;
  }
  let env: ResolvedEnvironment | undefined;
  if (ws && options.env) env = resolveEnvironment(ws, loadEnvironments(ws), loadCredentials(ws), options.env);
  else if (!ws && options.env) openWorkspace(options.cwd, options.root); // throws the "no .fractary" message
  const monitoring = ws ? loadMonitoring(ws) : undefined;
  const sources = (kind: ServerKind) => ({
    file: monitoring?.[kind],
    fileDisplay: ws?.display(PATHS.monitoring),
    env: env && ws ? { name: env.name, config: env.config, display: ws.display(PATHS.environments) } : undefined,
    baseDir: ws ? dirname(ws.fractary) : options.cwd,
    vars: process.env,
    timeoutMs: options.timeoutMs,
  });
  const prometheus = resolveServer('prometheus', sources('prometheus'));
  const alertmanager = resolveServer('alertmanager', sources('alertmanager'));
  return {
    ws,
    env,
    monitoring,
    prometheus,
    alertmanager,
    now: overrides.now ?? (() => Date.now()),
    io,
    options,
    need(kind) {
      const ep = kind === 'prometheus' ? prometheus : alertmanager;
      if (!ep) throw notConfigured(kind, ws?.display(PATHS.monitoring));
      return ep;
    },
  };
}
