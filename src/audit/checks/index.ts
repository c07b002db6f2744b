/**
 * THE audit check registry: check id → lazy import. Adding a check = one folder under checks/ + one line here.
 * The id, the folder and metadata.json's CheckID are the same string (a registry test enforces it).
 */
import type { Check } from '../check.js';

export const CHECKS: Record<string, () => Promise<{ default: Check }>> = {
  lambda_function_invoked_recently: () => import('./lambda_function_invoked_recently/check.js'),
  lambda_memory_right_sized: () => import('./lambda_memory_right_sized/check.js'),
  rds_instance_in_use: () => import('./rds_instance_in_use/check.js'),
  rds_instance_right_sized: () => import('./rds_instance_right_sized/check.js'),
  rds_storage_utilized: () => import('./rds_storage_utilized/check.js'),
};

export type CheckId = keyof typeof CHECKS;

export async function loadChecks(section?: Check['metadata']['Section']): Promise<Check[]> {
  const all = await Promise.all(Object.values(CHECKS).map(async (load) => (await load()).default));
  return section ? all.filter((c) => c.metadata.Section === section) : all;
}
