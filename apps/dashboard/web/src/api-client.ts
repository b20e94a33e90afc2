import type { Alert, AlarmSettingsView, BedSnapshot, EcgMeasurement, LatestStrip } from './contracts';
import type { AccessSettings } from './access-settings';

/** An API error with the server's JSON body ({statusCode, error, message}) when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The HTTP API of the alerting app, same origin; sends the bearer token when one is set. */
export class ApiClient {
  constructor(
    private readonly access: AccessSettings,
    private readonly base = '',
  ) {}

  beds(): Promise<{ beds: BedSnapshot[]; count: number }> {
    return this.request('GET', '/api/beds');
  }

  bed(bedId: string): Promise<BedSnapshot> {
    return this.request('GET', `/api/beds/${enc(bedId)}`);
  }

  measurements(bedId: string, sinceMs: number, limit: number): Promise<{ bed_id: string; since_ms: number; count: number; measurements: EcgMeasurement[] }> {
    return this.request('GET', `/api/beds/${enc(bedId)}/measurements?since=${Math.floor(sinceMs)}&limit=${limit}`);
  }

  /** Null until the bed has sent a window (the server answers 404). */
  async strip(bedId: string): Promise<LatestStrip | null> {
    try {
      return await this.request<LatestStrip>('GET', `/api/beds/${enc(bedId)}/strip`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  alarmSettings(bedId: string): Promise<AlarmSettingsView> {
    return this.request('GET', `/api/beds/${enc(bedId)}/alarm-settings`);
  }

  resetBaseline(bedId: string): Promise<unknown> {
    return this.request('POST', `/api/beds/${enc(bedId)}/baseline`, {});
  }

  updateProfile(bedId: string, profile: unknown): Promise<{ profile: Record<string, unknown> }> {
    return this.request('PUT', `/api/beds/${enc(bedId)}/profile`, profile);
  }

  alerts(query: { state?: string; bed_id?: string; since?: number; limit?: number }): Promise<{ alerts: Alert[]; count: number }> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const qs = params.toString();
    return this.request('GET', `/api/alerts${qs ? `?${qs}` : ''}`);
  }

  acknowledge(alertId: string, user: string): Promise<Alert> {
    return this.request('POST', `/api/alerts/${enc(alertId)}/ack`, { user });
  }

  /** EventSource cannot send headers, so the token goes in the query string. */
  eventsUrl(): string {
    const token = this.access.token();
    return `${this.base}/api/events${token ? `?access_token=${encodeURIComponent(token)}` : ''}`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.access.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (error) {
      throw new ApiError(0, 'Network Error', `cannot reach the server (${(error as Error).message})`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      const err = (parsed ?? {}) as { error?: string; message?: string | string[] };
      const message = Array.isArray(err.message) ? err.message.join('; ') : (err.message ?? (text.slice(0, 200) || response.statusText));
      throw new ApiError(response.status, err.error ?? response.statusText, message);
    }
    if (parsed === null && text) throw new ApiError(response.status, 'Bad Response', `${method} ${path} did not return JSON`);
    return parsed as T;
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}
