import { MESSAGE_BUS, RunningApp, startApp, STATE_STORE } from '@aicrn/nest-platform';
import { StateStore } from '@aicrn/state';
import { InMemoryBus } from '@aicrn/transport';
import { embeddedFeatures } from '../../apps/embedded/src/embedded.features';

export interface EmbeddedUnderTest extends RunningApp {
  bus: InMemoryBus;
  state: StateStore;
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  post<T = unknown>(path: string, body?: unknown, raw?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The embedded pipeline in this process on a free port, as `npm start` runs it. */
export async function startEmbedded(env: Record<string, string> = {}): Promise<EmbeddedUnderTest> {
  const running = await startApp('embedded', embeddedFeatures, { PORT: '0', LOG_LEVEL: 'warn', SIM_BEDS: '8', ...env });
  const request = async <T>(method: string, path: string, body?: unknown, raw?: string) => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text so the test can show it */
    }
    return { status: res.status, body: parsed as T };
  };
  return {
    ...running,
    bus: running.app.get(MESSAGE_BUS),
    state: running.app.get(STATE_STORE),
    get: (path) => request('GET', path),
    post: (path, body, raw) => request('POST', path, body, raw),
    close: () => running.app.close(),
  };
}
