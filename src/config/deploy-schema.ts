/**
 * `[deploy]` in monitoring.toml: change windows and freezes (in one IANA zone), the error-budget policy, and the
 * canary judge's thresholds. Everything is optional: no windows means always open.
 */
import { z } from 'zod';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day such as 09:00 or 17:30');
const when = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/, 'a time such as 2026-12-20T00:00 (in the zone) or 2026-12-20T00:00:00Z');
const envs = z.array(z.string().min(1)).optional();

const Window = z
  .object({
    days: z.array(z.enum(DAYS)).min(1),
    start: clock,
    end: clock,
    /** Environments the window governs; all when omitted. */
    environments: envs,
  })
  .strict();

const Freeze = z
  .object({
    from: when,
    to: when,
    reason: z.string().min(1).max(500),
    environments: envs,
  })
  .strict();

export const DeploySection = z
  .object({
    time_zone: z.string().min(1).default('UTC'),
    windows: z.array(Window).default([]),
    freezes: z.array(Freeze).default([]),
    /** Friday at or after this local time, and weekends, add timing risk. */
    late_friday_after: clock.default('15:00'),
    /** A release is blocked when the smallest remaining error budget is at or below this percentage. */
    error_budget_block_percent: z.number().min(0).max(100).default(0),
    /** Deployments looked back on for the change-failure rate. */
    change_failure_lookback: z.number().int().min(1).max(500).default(10),
    canary: z
      .object({
        alpha: z.number().gt(0).lt(1).default(0.05),
        pass_score: z.number().min(0).max(100).default(95),
        marginal_score: z.number().min(0).max(100).default(75),
        min_points: z.number().int().min(3).max(10_000).default(10),
        min_events: z.number().int().min(0).default(100),
        min_effect_percent: z.number().min(0).max(1000).default(10),
      })
      .strict()
      .default({ alpha: 0.05, pass_score: 95, marginal_score: 75, min_points: 10, min_events: 100, min_effect_percent: 10 }),
  })
  .strict();
export type DeploySection = z.infer<typeof DeploySection>;
