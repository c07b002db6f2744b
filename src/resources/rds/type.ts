/** RDS DB instance: everything helm-cloud knows of the type; the reader is ./index.ts (src/aws/rds.ts). */
import { sh } from '../../core/sh.js';
import { defineType } from '../types.js';

export const rdsType = defineType({
  type: 'rds',
  service: 'rds',
  readOperation: 'DescribeDBInstances',
  namespace: 'AWS/RDS',
  dimensions: (r) => [{ name: 'DBInstanceIdentifier', value: r.name }],
  sloKeys: ['cpu_percent', 'connections_max', 'free_storage_min_gb', 'read_latency_ms', 'write_latency_ms', 'availability_percent'],
  investigate: [
    { metricName: 'CPUUtilization', stat: 'Average', kind: 'cpu', minAbsolute: 5 },
    { metricName: 'DatabaseConnections', stat: 'Maximum', kind: 'connections', minAbsolute: 2 },
    { metricName: 'ReadLatency', stat: 'Average', kind: 'latency' },
    { metricName: 'WriteLatency', stat: 'Average', kind: 'latency' },
    { metricName: 'FreeStorageSpace', stat: 'Minimum', kind: 'storage', adverse: 'down' },
  ],
  logs: (r) => ({ name: `/aws/rds/instance/${r.name}/`, exact: false }),
  words: {
    scope: ['rds', 'database', 'databases', 'db', 'dbs', 'postgres', 'postgresql', 'mysql', 'aurora', 'mariadb'],
    request: ['rds', 'database', 'databases', 'db', 'postgres', 'postgresql', 'mysql', 'mariadb', 'aurora'],
  },
  findingTypes: ['AwsRdsDbInstance', 'AWS::RDS::DBInstance'],
  iamPrefix: 'rds',
  deleteCommand: (r) => `aws rds delete-db-instance --db-instance-identifier ${sh(r.name)} --final-db-snapshot-identifier ${sh(r.name)}-final --region ${sh(r.region)}`,
  load: async () => (await import('./index.js')).rds,
});
