/**
 * Lambda adapter for remediation: reads what an action needs to plan and writes the change.
 * moto's GetFunctionConfiguration omits Environment, and so would a plan built on it: we read GetFunction.
 * Writes carry the RevisionId read at diagnose time, so a concurrent change makes ours fail instead of
 * silently overwriting it.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { classifyAwsError, toHelmError } from './errors.js';
import type { AwsProvider } from './provider.js';

export interface LambdaFunctionState {
  name: string;
  arn: string;
  memoryMb: number;
  timeoutS: number;
  env: Record<string, string>;
  revisionId?: string;
  /** Pending | Active | Inactive | Failed */
  state?: string;
  /** InProgress | Successful | Failed */
  lastUpdateStatus?: string;
  lastUpdateReason?: string;
}

export interface LambdaWriteApi {
  getFunction(name: string): Promise<LambdaFunctionState | undefined>;
  updateConfiguration(name: string, change: { memoryMb?: number; timeoutS?: number; env?: Record<string, string> }, revisionId?: string): Promise<void>;
  /** Polls until the last configuration update is no longer InProgress (or the time is up). */
  waitUpdated(name: string, timeoutMs: number): Promise<LambdaFunctionState | undefined>;
  getReservedConcurrency(name: string): Promise<number | null>;
  putReservedConcurrency(name: string, n: number): Promise<void>;
  deleteReservedConcurrency(name: string): Promise<void>;
  getAlias(name: string, alias: string): Promise<{ version: string; revisionId?: string } | undefined>;
  /** Published version numbers, ascending ($LATEST excluded). */
  listVersions(name: string): Promise<number[]>;
  updateAlias(name: string, alias: string, version: string, revisionId?: string): Promise<void>;
}

export function lambdaWrite(provider: AwsProvider): LambdaWriteApi {
  const client = () =>
    provider.once<LambdaClient>('lambda-write', async () => new (await import('@aws-sdk/client-lambda')).LambdaClient(await provider.clientConfig()));
  const sdk = () => import('@aws-sdk/client-lambda');
  const fail = (e: unknown, op: string) => toHelmError(classifyAwsError(e, 'lambda', op), provider.describe());
  const notFound = (e: unknown) => classifyAwsError(e).category === 'not-found';

  const api: LambdaWriteApi = {
    async getFunction(name) {
      const { GetFunctionCommand } = await sdk();
      try {
        const c = (await (await client()).send(new GetFunctionCommand({ FunctionName: name }))).Configuration ?? {};
        return {
          name: c.FunctionName ?? name,
          arn: c.FunctionArn ?? '',
          memoryMb: c.MemorySize ?? 128,
          timeoutS: c.Timeout ?? 3,
          env: { ...(c.Environment?.Variables ?? {}) },
          revisionId: c.RevisionId,
          state: c.State,
          lastUpdateStatus: c.LastUpdateStatus,
          lastUpdateReason: c.LastUpdateStatusReason,
        };
      } catch (e) {
        if (notFound(e)) return undefined;
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
            ...(change.timeoutS !== undefined ? { Timeout: change.timeoutS } : {}),
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
      const { ListVersionsByFunctionCommand } = await sdk();
      const out: number[] = [];
      let Marker: string | undefined;
      try {
        do {
          const page = await (await client()).send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker }));
          for (const v of page.Versions ?? []) if (v.Version && /^\d+$/.test(v.Version)) out.push(Number(v.Version));
          Marker = page.NextMarker;
        } while (Marker);
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
