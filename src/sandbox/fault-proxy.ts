/**
 * A small HTTP proxy between the SDK and moto. It counts calls per operation, injects faults moto cannot
 * produce (throttling, 5xx, resets, delays, truncated or garbage bodies, AccessDenied), and answers the few
 * operations moto lacks from fixtures in the real wire format. Used by tests and benches, and by `helm-cloud
 * demo` (percentiles and the operations moto lacks, see demo.ts); never by the commands that reach real AWS.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallInfo {
  service: string;
  operation: string;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  protocol: 'json' | 'query' | 'rest';
}

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'server-error'; status?: number }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'truncate' }
  | { kind: 'garbage' }
  | { kind: 'access-denied' };

export interface FixedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export interface Rule {
  service?: string;
  operation?: string;
  /** Extra predicate on the request (e.g. body contains a percentile stat). */
  when?: (call: CallInfo) => boolean;
  fault?: Fault;
  respond?: (call: CallInfo) => FixedResponse | Promise<FixedResponse>;
  /** Let this many matching calls pass before the rule applies (e.g. fail the 2nd page). */
  skip?: number;
  /** Apply at most this many times (default: always). */
  times?: number;
}

export interface FaultProxy {
  endpoint: string;
  /** Calls seen, keyed "service:Operation". */
  calls(): Record<string, number>;
  count(service: string, operation?: string): number;
  resetCalls(): void;
  addRule(rule: Rule): void;
  clearRules(): void;
  faultsInjected(): number;
  stop(): Promise<void>;
}

function serviceOf(headers: IncomingMessage['headers']): string {
  const auth = String(headers.authorization ?? '');
  const m = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  const svc = m?.[1] ?? 'unknown';
  // CloudWatch signs as "monitoring"; keep the names people use.
  return svc === 'monitoring' ? 'cloudwatch' : svc;
}

function describeCall(req: IncomingMessage, body: Buffer): CallInfo {
  const service = serviceOf(req.headers);
  const target = req.headers['x-amz-target'];
  const url = new URL(req.url ?? '/', 'http://x');
  if (typeof target === 'string' && target.includes('.')) {
    return { service, operation: target.split('.').pop()!, method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body, protocol: 'json' };
  }
  const ct = String(req.headers['content-type'] ?? '');
  if (ct.includes('x-www-form-urlencoded')) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? 'Unknown';
    return { service, operation: action, method: req.method ?? 'POST', path: url.pathname, headers: req.headers, body, protocol: 'query' };
  }
  const action = url.searchParams.get('Action');
  return { service, operation: action ?? `${req.method} ${url.pathname}`, method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body, protocol: action ? 'query' : 'rest' };
}

function errorResponse(call: CallInfo, code: string, status: number, message: string): FixedResponse {
  if (call.protocol === 'query') {
    const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
    return { status, headers: { 'content-type': 'text/xml' }, body: xml };
  }
  return {
    status,
    headers: {
      'content-type': call.protocol === 'json' ? 'application/x-amz-json-1.0' : 'application/json',
      'x-amzn-errortype': code,
      'x-amzn-query-error': `${code};Sender`,
      'x-amzn-requestid': 'fault-proxy',
    },
    body: JSON.stringify({ __type: code, message, Message: message }),
  };
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const up = new URL(upstream);
  const counts: Record<string, number> = {};
  let rules: (Rule & { seen: number; applied: number })[] = [];
  let injected = 0;
  const sockets = new Set<import('node:net').Socket>();

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, mutate?: 'truncate') => {
    const headers = { ...req.headers, host: up.host };
    const preq = httpRequest({ hostname: up.hostname, port: up.port, method: req.method, path: req.url, headers }, (pres) => {
      const chunks: Buffer[] = [];
      pres.on('data', (c: Buffer) => chunks.push(c));
      pres.on('end', () => {
        const full = Buffer.concat(chunks);
        const h = { ...pres.headers };
        delete h['transfer-encoding'];
        if (mutate === 'truncate') {
          h['content-length'] = String(full.length);
          res.writeHead(pres.statusCode ?? 502, h);
          res.write(full.subarray(0, Math.floor(full.length / 2)));
          // Close mid-body: the client sees fewer bytes than content-length.
          res.socket?.destroy();
          return;
        }
        h['content-length'] = String(full.length);
        res.writeHead(pres.statusCode ?? 502, h);
        res.end(full);
      });
    });
    preq.on('error', () => {
      res.socket?.destroy();
    });
    preq.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const call = describeCall(req, body);
      // moto-api and unsigned requests pass straight through, uncounted.
      if (call.path.startsWith('/moto-api')) return forward(req, body, res);
      const key = `${call.service}:${call.operation}`;
      counts[key] = (counts[key] ?? 0) + 1;
      const rule = rules.find((r) => {
        if (r.service && r.service !== call.service) return false;
        if (r.operation && r.operation !== call.operation) return false;
        if (r.when && !r.when(call)) return false;
        r.seen++;
        if (r.skip && r.seen <= r.skip) return false;
        if (r.times !== undefined && r.applied >= r.times) return false;
        return true;
      });
      if (!rule) return forward(req, body, res);
      rule.applied++;
      if (rule.respond) {
        const r = await rule.respond(call);
        res.writeHead(r.status, { 'content-length': String(Buffer.byteLength(r.body)), ...(r.headers ?? {}) });
        return res.end(r.body);
      }
      const f = rule.fault!;
      injected++;
      const send = (r: FixedResponse) => {
        res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
        res.end(r.body);
      };
      switch (f.kind) {
        case 'throttle':
          return send(errorResponse(call, call.protocol === 'rest' ? 'TooManyRequestsException' : call.protocol === 'query' ? 'Throttling' : 'ThrottlingException', call.protocol === 'rest' ? 429 : 400, 'Rate exceeded'));
        case 'access-denied':
          return send(errorResponse(call, call.protocol === 'query' ? 'AccessDenied' : 'AccessDeniedException', call.protocol === 'query' ? 403 : 400, `User: arn:aws:sts::123456789012:assumed-role/ci is not authorized to perform: ${call.service}:${call.operation}`));
        case 'server-error':
          return send(errorResponse(call, 'InternalFailure', f.status ?? 500, 'injected server error'));
        case 'reset':
          return req.socket.destroy();
        case 'delay':
          await new Promise((r) => setTimeout(r, f.ms));
          if (req.socket.destroyed) return;
          return forward(req, body, res);
        case 'truncate':
          return forward(req, body, res, 'truncate');
        case 'garbage':
          return send({ status: 200, headers: { 'content-type': call.protocol === 'query' ? 'text/xml' : 'application/json' }, body: '\u0000\u00ffnot-a-response{{{<<' });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => ({ ...counts }),
    count: (service, operation) =>
      Object.entries(counts)
        .filter(([k]) => k.startsWith(service + ':') && (!operation || k === `${service}:${operation}`))
        .reduce((a, [, n]) => a + n, 0),
    resetCalls: () => {
      for (const k of Object.keys(counts)) delete counts[k];
    },
    addRule: (rule) => {
      rules.push({ ...rule, seen: 0, applied: 0 });
    },
    clearRules: () => {
      rules = [];
    },
    faultsInjected: () => injected,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
