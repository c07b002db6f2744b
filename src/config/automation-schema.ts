/**
 * `[automation]` in monitoring.toml: the circuit breaker and progressive trust. Defaults: 3 failed remediations
 * within 1 h open an environment's (or an action's) breaker for a 30 min cool-down; 5 verified successes suggest a
 * promotion.
 */
import { z } from 'zod';

const duration = z.string().regex(/^(\d+)(s|m|h|d)$/, 'a duration such as 30m, 1h or 2d');

export const AutomationSection = z
  .object({
    circuit_failures: z.number().int().min(1).max(100).default(3),
    circuit_window: duration.default('1h'),
    circuit_cooldown: duration.default('30m'),
    trust_promote_after: z.number().int().min(1).max(1000).default(5),
  })
  .strict();
export type AutomationSection = z.infer<typeof AutomationSection>;
