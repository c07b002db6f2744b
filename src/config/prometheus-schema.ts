/**
 * monitoring.toml `[prometheus]`, `[alertmanager]` and `[[slos.prometheus]]`. Secrets never live here: a token
 * or password is read from the environment or from the file a `*_file` key names.
 */
import { z } from 'zod';
import { RESOURCE_TYPES } from '../resources/index.js';

const promDuration = z.string().regex(/^(\d+)(ms|s|m|h|d|w)$/, 'a duration such as 10s, 30s or 2m');

export const MonitoringServer = z
  .object({
    url: z.string().url().optional(),
    /** Per-request bound; `--timeout` overrides it. */
    timeout: promDuration.default('30s'),
    /** A file holding the bearer token (the token itself only ever comes from the environment or this file). */
    bearer_token_file: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password_file: z.string().min(1).optional(),
  })
  .strict();
export type MonitoringServer = z.infer<typeof MonitoringServer>;

/** `{{window}}` in an expression becomes each evaluation window (5m, 30m, 1h, 6h, 3d…). */
export const WINDOW_PLACEHOLDER = '{{window}}';
const expr = z.string().min(1).max(20_000).refine((s) => s.includes(WINDOW_PLACEHOLDER), `a PromQL expression containing ${WINDOW_PLACEHOLDER} where the range goes, e.g. rate(x[${WINDOW_PLACEHOLDER}])`);

export const PromSlo = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a name of letters, digits and "_"'),
    description: z.string().max(500).optional(),
    /** bad/total as one expression, already aggregated `by` the service label. */
    error_ratio: expr.optional(),
    /** Event counts (rates); helm-cloud aggregates them `sum by (<service_label>)`. */
    good: expr.optional(),
    bad: expr.optional(),
    total: expr.optional(),
    /** Target share of good events, in percent (99.9). */
    objective: z.number().gt(0).lt(100),
    service_label: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Prometheus label name').default('service'),
    period_days: z.number().int().min(1).max(365).default(30),
    /** Services that must answer: one missing from the results is UNKNOWN, not absent. */
    services: z.array(z.string().min(1)).optional(),
    /** Shown as the resource's project in the health report. */
    project: z.string().min(1).optional(),
    /**
     * The service label's values name registry resources of this type (e.g. k8s_deployment): a service that is a
     * live resource of that type is judged as part of it, not as a separate `prometheus` resource.
     */
    resource_type: z.enum(RESOURCE_TYPES).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const forms = [s.error_ratio !== undefined, s.good !== undefined && s.total !== undefined, s.bad !== undefined && s.total !== undefined].filter(Boolean).length;
    const stray = (s.good !== undefined || s.bad !== undefined) !== (s.total !== undefined) || (s.good !== undefined && s.bad !== undefined);
    if (forms !== 1 || stray) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of: error_ratio, or good and total, or bad and total', path: [] });
    }
  });
export type PromSlo = z.infer<typeof PromSlo>;
