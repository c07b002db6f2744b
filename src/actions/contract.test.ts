import { describe, expect, it } from 'vitest';
import { proposalProblem } from './contract.js';

const resources = [
  { name: 'orders-api', type: 'lambda' as const },
  { name: 'orders-db', type: 'rds' as const },
];

describe('the investigate → remediate contract', () => {
  it.each([
    ['a timeout increase in the action’s own key', { action: 'increase_capacity', target: 'orders-api', params: { timeout_s: 6 } }],
    ['reserved concurrency', { action: 'scale_resources', target: 'orders-api', params: { reserved_concurrency: 20 } }],
    ['a rollback without params', { action: 'rollback', target: 'orders-api', params: {} }],
  ])('accepts %s', async (_, p) => {
    expect(await proposalProblem(p, resources)).toBeUndefined();
  });

  it.each([
    ['a key the action does not have (timeout_seconds)', { action: 'increase_capacity', target: 'orders-api', params: { timeout_seconds: 6 } }, /params rejected by increase_capacity/],
    ['a project name as target', { action: 'rollback', target: 'orders', params: {} }, /no resource "orders" in the registry/],
    ['project versions as rollback params', { action: 'rollback', target: 'orders-api', params: { from_version: '1.4.2', to_version: '1.4.1' } }, /params rejected by rollback/],
    ['an action that does not apply to the type', { action: 'restart_lambda', target: 'orders-db', params: {} }, /does not apply to orders-db/],
    ['an unknown action', { action: 'reboot_everything', target: 'orders-api' }, /unknown action/],
  ])('refuses %s', async (_, p, why) => {
    expect(await proposalProblem(p, resources)).toMatch(why);
  });
});
