/**
 * Lambda adapter (narrow, lazy). Read methods for health; write methods (restart, concurrency) are added by
 * the remediation actions beside these. Every method returns plain data; not-found is `undefined`.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsProvider } from './provider.js';

export interface AdapterHooks {
  /** Called once per request sent (pages included), "service:Operation". */
  onCall?: (op: string) => void;
}

export interface LambdaFunctionInfo {
  name: string;
  arn?: string;
  /** Pending | Active | Inactive | Failed; real ListFunctions omits it (only GetFunction has it). */
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
  runtime?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  lastModified?: string;
  architecture?: string;
}

export interface LambdaApi {
  /** Every function of the region, one paginated read (50 a page). */
  listFunctions(): Promise<LambdaFunctionInfo[]>;
  /** One function's configuration, including State; undefined when it does not exist. */
  getFunctionConfiguration(name: string): Promise<LambdaFunctionInfo | undefined>;
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
}

function info(c: RawConfig): LambdaFunctionInfo {
  return {
    name: c.FunctionName ?? '',
    arn: c.FunctionArn,
    state: c.State,
    stateReason: c.StateReason,
    lastUpdateStatus: c.LastUpdateStatus,
    lastUpdateStatusReason: c.LastUpdateStatusReason,
    runtime: c.Runtime,
    memoryMb: c.MemorySize,
    timeoutSeconds: c.Timeout,
    lastModified: c.LastModified,
    architecture: c.Architectures?.[0],
  };
}

export function lambdaApi(provider: AwsProvider, hooks: AdapterHooks = {}): LambdaApi {
  const client = () =>
    provider.once('lambda', async () => {
      const { LambdaClient } = await import('@aws-sdk/client-lambda');
      return new LambdaClient(await provider.clientConfig());
    }) as Promise<LambdaClient>;
  const sdk = () => import('@aws-sdk/client-lambda');
  return {
    async listFunctions() {
      const c = await client();
      const { ListFunctionsCommand } = await sdk();
      const out: LambdaFunctionInfo[] = [];
      let marker: string | undefined;
      do {
        hooks.onCall?.('lambda:ListFunctions');
        const page = await c.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 }));
        for (const f of page.Functions ?? []) out.push(info(f));
        marker = page.NextMarker;
      } while (marker);
      return out;
    },
    async getFunctionConfiguration(name) {
      const c = await client();
      const { GetFunctionConfigurationCommand } = await sdk();
      hooks.onCall?.('lambda:GetFunctionConfiguration');
      try {
        return info(await c.send(new GetFunctionConfigurationCommand({ FunctionName: name })));
      } catch (e) {
        if ((e as Error).name === 'ResourceNotFoundException') return undefined;
        throw e;
      }
    },
  };
}
