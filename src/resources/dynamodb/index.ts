/**
 * DynamoDB table: usable when ACTIVE (UPDATING still serves: DEGRADED). Metrics (AWS/DynamoDB, TableName):
 * Read/WriteThrottleEvents for throttled requests; SystemErrors per operation (that metric always carries an
 * Operation dimension). Both are published only when non-zero, so an empty series is 0.
 */
import { dynamoDbApi } from '../../aws/dynamodb.js';
import { classifyAwsError } from '../../aws/errors.js';
import { mapLimit } from '../../core/concurrency.js';
import { defineHealth, sum, type StateRead } from '../types.js';

export const DYNAMODB_OPERATIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems'];

export const dynamodb = defineHealth({
  metrics: [
    { id: 'read_throttles', metricName: 'ReadThrottleEvents', stat: 'Sum', sparse: true },
    { id: 'write_throttles', metricName: 'WriteThrottleEvents', stat: 'Sum', sparse: true },
    {
      id: 'system_errors',
      metricName: 'SystemErrors',
      stat: 'Sum',
      sparse: true,
      dimensionSets: (r) => DYNAMODB_OPERATIONS.map((op) => [{ name: 'TableName', value: r.name }, { name: 'Operation', value: op }]),
    },
  ],
  slos: [
    { key: 'throttled_requests_max', label: 'throttled requests', unit: 'requests', direction: 'max', scale: 'level', metrics: ['read_throttles', 'write_throttles'], observe: (o) => sum(o.metric('read_throttles'), o.metric('write_throttles')) ?? 0 },
    { key: 'system_errors_max', label: 'system errors', unit: 'errors', direction: 'max', scale: 'level', metrics: ['system_errors'], observe: (o) => o.metric('system_errors') ?? 0 },
  ],
  notEvaluated: {
    error_rate_percent: 'DynamoDB publishes no per-table request count to divide by; system_errors_max bounds the errors instead',
    availability_percent: 'DynamoDB publishes no per-table request count; availability is judged from the table status and system errors',
  },
  async readState(resources, ctx) {
    const api = dynamoDbApi(ctx.aws, { onCall: ctx.onCall });
    const out = new Map<string, StateRead>();
    // DescribeTable has no batch form: one call per table, bounded.
    await mapLimit(resources, ctx.concurrency, async (r) => {
      try {
        const t = await api.describeTable(r.name);
        if (!t) return;
        const state = { status: t.status, billingMode: t.billingMode ?? null };
        if (t.status === 'ACTIVE') out.set(r.name, { verdict: 'HEALTHY', state });
        else if (t.status === 'UPDATING') out.set(r.name, { verdict: 'DEGRADED', reason: 'table status is UPDATING', state });
        else out.set(r.name, { verdict: 'UNHEALTHY', reason: `table status is ${t.status}`, state });
      } catch (e) {
        const f = classifyAwsError(e, 'dynamodb', 'DescribeTable');
        out.set(r.name, ctx.fail(f));
      }
    });
    return out;
  },
});
