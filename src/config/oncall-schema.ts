/**
 * `[oncall]` in monitoring.toml (or in the file `[oncall] file` names): backend, users, teams with rotation
 * layers, overrides and escalation tiers. Tokens are never read from here: a token key holds a reference —
 * `env:VAR`, `file:PATH` or `keychain:NAME` — and a literal secret is refused.
 */
import { z } from 'zod';

export const ONCALL_BACKENDS = ['local', 'goalert', 'pagerduty'] as const;
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const key = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a name of letters, digits, ".", "_" or "-"');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 09:00 or 17:30');
const when = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/, 'a time such as 2026-01-05T09:00 (in the zone) or 2026-01-05T14:00:00Z');
/** A reference to a secret, resolved at run time; never the secret itself. */
export const SECRET_REF_RE = /^(env|file|keychain):[^\s]{1,512}$/;
const secretRef = z.string().regex(SECRET_REF_RE, 'a reference such as env:PAGERDUTY_TOKEN, file:~/.config/pd-token or keychain:pagerduty (never the token itself)');

const Restriction = z
  .object({
    days: z.array(z.enum(DAY_NAMES)).min(1).default([...DAY_NAMES]),
    start: clock,
    end: clock,
  })
  .strict();

const Layer = z
  .object({
    name: key.optional(),
    members: z.array(key).min(1, 'at least one member'),
    rotation: z.enum(['hourly', 'daily', 'weekly']),
    /** Units per shift: 12 with "hourly" is a 12-hour shift. */
    length: z.number().int().min(1).max(9000).default(1),
    /** First handoff (member 1 starts): a wall time in the layer's zone, or an instant with Z/offset. */
    start: when,
    time_zone: z.string().min(1).optional(),
    restrictions: z.array(Restriction).default([]),
  })
  .strict();

const Override = z
  .object({
    user: key,
    start: when,
    end: when,
    replaces: key.optional(),
    add: z.boolean().optional(),
    note: z.string().max(500).optional(),
  })
  .strict();

const Tier = z
  .object({
    /** Minutes an unacknowledged incident waits at this tier before the next one is paged. */
    delay_minutes: z.number().int().min(0).max(10_080).default(5),
    /** "oncall" (this team's schedule), "user:NAME", "team:NAME" (that team's on-call). */
    targets: z.array(z.string().regex(/^(oncall|user:.+|team:.+)$/, '"oncall", "user:NAME" or "team:NAME"')).min(1).default(['oncall']),
  })
  .strict();

const Team = z
  .object({
    time_zone: z.string().min(1).default('UTC'),
    description: z.string().max(500).optional(),
    /** Services whose incidents page this team (incident create --service). */
    services: z.array(z.string().min(1).max(255)).default([]),
    layers: z.array(Layer).default([]),
    overrides: z.array(Override).default([]),
    escalation: z
      .object({
        repeat: z.number().int().min(0).max(20).default(0),
        tiers: z.array(Tier),
      })
      .strict()
      .optional(),
    /** Remote ids when the backend is GoAlert or PagerDuty (names are looked up when absent). */
    goalert: z.object({ schedule: z.string().optional(), service: z.string().optional(), escalation_policy: z.string().optional() }).strict().optional(),
    pagerduty: z.object({ schedule: z.string().optional(), service: z.string().optional(), escalation_policy: z.string().optional() }).strict().optional(),
  })
  .strict();

const User = z
  .object({
    name: z.string().max(200).optional(),
    email: z.string().max(320).optional(),
    time_zone: z.string().optional(),
  })
  .strict();

export const OncallSection = z
  .object({
    backend: z.enum(ONCALL_BACKENDS).default('local'),
    /** Another TOML file (relative to .fractary/plugins/helm-cloud/) holding users and teams. */
    file: z.string().min(1).max(1024).optional(),
    default_team: key.optional(),
    users: z.record(key, User).default({}),
    teams: z.record(key, Team).default({}),
    goalert: z
      .object({
        url: z.string().url(),
        /** A session or API token reference; or user + password (the password a reference too). */
        token: secretRef.optional(),
        user: z.string().optional(),
        password: secretRef.optional(),
      })
      .strict()
      .optional(),
    pagerduty: z
      .object({
        url: z.string().url().default('https://api.pagerduty.com'),
        events_url: z.string().url().default('https://events.pagerduty.com/v2'),
        token: secretRef.default('env:PAGERDUTY_TOKEN'),
        /** Email of a PagerDuty user: the From header that write calls need. */
        from: z.string().email().optional(),
        /** Events API v2 integration key reference (incident create through events). */
        routing_key: secretRef.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type OncallSection = z.infer<typeof OncallSection>;
export type OncallTeam = z.infer<typeof Team>;
