/**
 * Alertmanager API v2, narrow: alerts, silences, alert posting. The only module that speaks to Alertmanager.
 */
import { callJson, type Endpoint, type RequestCounter } from '../http/json-api.js';

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  updatedAt?: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt?: string;
  fingerprint: string;
  generatorURL?: string;
  receivers?: { name: string }[];
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export class AlertmanagerClient {
  constructor(
    readonly endpoint: Endpoint,
    private readonly count?: RequestCounter,
  ) {}

  async alerts(filter: { silenced?: boolean; active?: boolean; inhibited?: boolean; matchers?: string[] } = {}): Promise<AmAlert[]> {
    const b = (v: boolean | undefined) => (v === undefined ? undefined : String(v));
    const r = await callJson<AmAlert[]>(
      this.endpoint,
      { path: '/api/v2/alerts', query: { silenced: b(filter.silenced), active: b(filter.active), inhibited: b(filter.inhibited), filter: filter.matchers } },
      this.count,
    );
    return r.body ?? [];
  }

  async postAlerts(alerts: PostableAlert[]): Promise<void> {
    await callJson(this.endpoint, { method: 'POST', path: '/api/v2/alerts', json: alerts }, this.count);
  }

  async silences(): Promise<Silence[]> {
    const r = await callJson<Silence[]>(this.endpoint, { path: '/api/v2/silences' }, this.count);
    return r.body ?? [];
  }

  async silence(id: string): Promise<Silence> {
    const r = await callJson<Silence>(this.endpoint, { path: `/api/v2/silence/${encodeURIComponent(id)}` }, this.count);
    return r.body;
  }

  async createSilence(s: { matchers: Matcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string }): Promise<string> {
    const r = await callJson<{ silenceID: string }>(this.endpoint, { method: 'POST', path: '/api/v2/silences', json: s }, this.count);
    return r.body.silenceID;
  }

  async expireSilence(id: string): Promise<void> {
    await callJson(this.endpoint, { method: 'DELETE', path: `/api/v2/silence/${encodeURIComponent(id)}` }, this.count);
  }
}
