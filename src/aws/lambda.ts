/**
 * Lambda adapter: the one reader of a function's configuration (health, audit, deploy and the remediation
 * actions all read it here) and the writes the actions make, over the provider's one Lambda client.
 * A function is read with GetFunction: moto's GetFunctionConfiguration omits Environment, and so would a plan
 * built on it. Writes carry the RevisionId read at diagnose time, so a concurrent change makes ours fail instead
 * of silently overwriting it. Not-found is `undefined`.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { attempt, classifyAwsError, isAwsCallError, toHelmError } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface AdapterHooks {
  /** Called once per request sent (pages included), "service:Operation". */
  onCall?: (op: string) => void;
}

export interface LambdaFunction {
  name: string;
  arn?: string;
  /** Pending | Active | Inactive | Failed; real ListFunctions omits it (only GetFunction has it). */
  state?: string;
  stateReason?: string;
  /** InProgress | Successful | Failed */
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
  runtime?: string;
  memoryMb: number;
  timeoutSeconds: number;
  lastModified?: string;
  architecture?: string;
  env: Record<string, string>;
  revisionId?: string;
}

interface RawConfig {
  FunctionName?: string;
  FunctionArn?: string;
  State?: string;
  StateReason?: string;
  LastUpdateStatus?: string;
  LastUpdateStatusReason?: string;
  Runtime?: string;
  MemorySize?: number;
  Timeout?: number;
  LastModified?: string;
  Architectures?: string[];
  Environment?: { Variables?: Record<string, string> };
  RevisionId?: string;
}

/** Lambda's defaults stand in for what a response leaves out (128 MB, 3 s). */
function fromRaw(c: RawConfig, name = ''): LambdaFunction {
  return {
    name: c.FunctionName ?? name,
    arn: c.FunctionArn,
    state: c.State,
    stateReason: c.StateReason,
    lastUpdateStatus: c.LastUpdateStatus,
    lastUpdateStatusReason: c.LastUpdateStatusReason,
    runtime: c.Runtime,
    memoryMb: c.MemorySize ?? 128,
    timeoutSeconds: c.Timeout ?? 3,
    lastModified: c.LastModified,
    architecture: c.Architectures?.[0],
    env: { ...(c.Environment?.Variables ?? {}) },
    revisionId: c.RevisionId,
  };
}

export interface LambdaApi {
  /** Every function of the region, one paginated read (50 a page). Failures come out as AwsCallError. */
  listFunctions(): Promise<LambdaFunction[]>;
  /** One function's configuration, including State; undefined when it does not exist. Failures: AwsCallError. */
  getFunction(name: string): Promise<LambdaFunction | undefined>;
}

export function lambdaApi(provider: AwsProvider, hooks: AdapterHooks = {}): LambdaApi {
  const client = () => provider.client<LambdaClient>('lambda', async () => (await import('@aws-sdk/client-lambda')).LambdaClient);
  const sdk = () => import('@aws-sdk/client-lambda');
  return {
    async listFunctions() {
      const c = await client();
      const { paginateListFunctions } = await sdk();
      return attempt('lambda', 'ListFunctions', async () => {
        const out: LambdaFunction[] = [];
        const pages = paginateListFunctions({ client: c, pageSize: 50, withCommand: (cmd) => (hooks.onCall?.('lambda:ListFunctions'), cmd) }, {});
        for await (const page of pages) for (const f of page.Functions ?? []) out.push(fromRaw(f));
        return out;
      });
    },
    async getFunction(name) {
      const c = await client();
      const { GetFunctionCommand } = await sdk();
      hooks.onCall?.('lambda:GetFunction');
      try {
        return fromRaw((await attempt('lambda', 'GetFunction', () => c.send(new GetFunctionCommand({ FunctionName: name })))).Configuration ?? {}, name);
      } catch (e) {
        if (isAwsCallError(e) && e.failure.category === 'not-found') return undefined;
        throw e;
      }
    },
  };
}

export interface LambdaWriteApi {
  /** The same reader as lambdaApi's; failures come out as HelmError, as the actions expect. */
  getFunction(name: string): Promise<LambdaFunction | undefined>;
  updateConfiguration(name: string, change: { memoryMb?: number; timeoutSeconds?: number; env?: Record<string, string> }, revisionId?: string): Promise<void>;
  /** Polls until the last configuration update is no longer InProgress (or the time is up). */
  waitUpdated(name: string, timeoutMs: number): Promise<LambdaFunction | undefined>;
  getReservedConcurrency(name: string): Promise<number | null>;
  putReservedConcurrency(name: string, n: number): Promise<void>;
  deleteReservedConcurrency(name: string): Promise<void>;
  getAlias(name: string, alias: string): Promise<{ version: string; revisionId?: string } | undefined>;
  /** Published version numbers, ascending ($LATEST excluded). */
  listVersions(name: string): Promise<number[]>;
  updateAlias(name: string, alias: string, version: string, revisionId?: string): Promise<void>;
}

/** Lambda for the remediation actions: every failure is a HelmError (exit 4 for access, 3 for other API errors). */
export function lambdaWrite(provider: AwsProvider): LambdaWriteApi {
  const read = lambdaApi(provider);
  const client = () => provider.client<LambdaClient>('lambda', async () => (await import('@aws-sdk/client-lambda')).LambdaClient);
  const sdk = () => import('@aws-sdk/client-lambda');
  const fail = (e: unknown, op: string) => toHelmError(classifyAwsError(e, 'lambda', op), provider.describe());
  const notFound = (e: unknown) => classifyAwsError(e).category === 'not-found';

  const api: LambdaWriteApi = {
    async getFunction(name) {
      try {
        return await read.getFunction(name);
      } catch (e) {
        throw fail(e, 'GetFunction');
      }
    },
    async updateConfiguration(name, change, revisionId) {
      const { UpdateFunctionConfigurationCommand } = await sdk();
      try {
        await (await client()).send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: name,
            ...(change.memoryMb !== undefined ? { MemorySize: change.memoryMb } : {}),
            ...(change.timeoutSeconds !== undefined ? { Timeout: change.timeoutSeconds } : {}),
            ...(change.env ? { Environment: { Variables: change.env } } : {}),
            ...(revisionId ? { RevisionId: revisionId } : {}),
          }),
        );
      } catch (e) {
        throw fail(e, 'UpdateFunctionConfiguration');
      }
    },
    async waitUpdated(name, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = await api.getFunction(name);
        if (!f || f.lastUpdateStatus !== 'InProgress' || Date.now() >= deadline) return f;
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
    async getReservedConcurrency(name) {
      const { GetFunctionConcurrencyCommand } = await sdk();
      try {
        const out = await (await client()).send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
        return out.ReservedConcurrentExecutions ?? null;
      } catch (e) {
        throw fail(e, 'GetFunctionConcurrency');
      }
    },
    async putReservedConcurrency(name, n) {
      const { PutFunctionConcurrencyCommand } = await sdk();
      try {
        await (await client()).send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: n }));
      } catch (e) {
        throw fail(e, 'PutFunctionConcurrency');
      }
    },
    async deleteReservedConcurrency(name) {
      const { DeleteFunctionConcurrencyCommand } = await sdk();
      try {
        await (await client()).send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
      } catch (e) {
        throw fail(e, 'DeleteFunctionConcurrency');
      }
    },
    async getAlias(name, alias) {
      const { GetAliasCommand } = await sdk();
      try {
        const out = await (await client()).send(new GetAliasCommand({ FunctionName: name, Name: alias }));
        return out.FunctionVersion ? { version: out.FunctionVersion, revisionId: out.RevisionId } : undefined;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw fail(e, 'GetAlias');
      }
    },
    async listVersions(name) {
      const { paginateListVersionsByFunction } = await sdk();
      const out: number[] = [];
      try {
        for await (const page of paginateListVersionsByFunction({ client: await client() }, { FunctionName: name })) {
          for (const v of page.Versions ?? []) if (v.Version && /^\d+$/.test(v.Version)) out.push(Number(v.Version));
        }
      } catch (e) {
        throw fail(e, 'ListVersionsByFunction');
      }
      return out.sort((a, b) => a - b);
    },
    async updateAlias(name, alias, version, revisionId) {
      const { UpdateAliasCommand } = await sdk();
      try {
        await (await client()).send(new UpdateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version, ...(revisionId ? { RevisionId: revisionId } : {}) }));
      } catch (e) {
        throw fail(e, 'UpdateAlias');
      }
    },
  };
  return api;
}
