import fc from 'fast-check';
import { TOPICS } from '@aicrn/contracts';
import { sampleMeasurement } from '@aicrn/contracts/testing';
import { EmbeddedUnderTest, startEmbedded } from '../support/embedded-app';
import { eventually } from '../support/eventually';
import { TEST_JWT_SECRET, testToken } from '../security/tokens';

jest.setTimeout(120_000);

const CASES = 10_000;
const CONCURRENCY = 8;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

describe('fuzz: HTTP API of the running embedded app (AUTH_MODE=jwt)', () => {
  let app: EmbeddedUnderTest;
  let alertId: string;
  let tokens: string[];

  beforeAll(async () => {
    app = await startEmbedded({ SIM_BEDS: '0', AUTH_MODE: 'jwt', AUTH_JWT_SECRET: TEST_JWT_SECRET, RATE_LIMIT_PER_MIN: '100000000', LOG_LEVEL: 'error' });
    const end = Date.now() - 60_000;
    await app.bus.publish(
      TOPICS.measurements,
      Array.from({ length: 5 }, (_, i) => ({
        key: 'bed-01',
        value: sampleMeasurement({ bed_id: 'bed-01', window_id: `bed-01:m:${i}`, window_start_ms: end + (i - 1) * 10_000, window_end_ms: end + i * 10_000, quality: i < 4 ? 0.05 : 0.9 }),
      })),
    );
    alertId = await eventually('an alert to aim at', async () => (await app.state.listAlerts({ limit: 1 }))[0]?.alert_id, { timeoutMs: 15_000 });
    tokens = await Promise.all([testToken({ roles: ['viewer'] }), testToken({ roles: ['clinician'], name: 'fuzz' }), testToken({ roles: ['admin'] }), testToken({ roles: ['admin'], expiresInS: -100 })]);
  });
  afterAll(() => app?.close());

  function requests(): fc.Arbitrary<FuzzRequest> {
    const weird = fc.constantFrom('..', '.', '%', '%zz', '%00', '%2e%2e', '%2F', '~', 'ü', '%F0%9F%92%A9', '__proto__', 'constructor', 'x'.repeat(300), ';', '@', '*', '$', "'", '"');
    const segment = fc.oneof(
      fc.constantFrom('api', 'beds', 'alerts', 'ack', 'baseline', 'profile', 'alarm-settings', 'measurements', 'strip', 'health', 'metrics', 'bed-01', 'bed-404', alertId),
      weird,
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
      fc.integer().map(String),
    );
    const apiPath = fc.array(segment, { minLength: 0, maxLength: 5 }).map((parts) => `/api/${parts.join('/')}`);
    const anyPath = fc.array(segment, { minLength: 0, maxLength: 6 }).map((parts) => `/${parts.join('/')}`);
    const known = fc.constantFrom('/api/beds', '/api/beds/bed-01', '/api/beds/bed-01/measurements', '/api/beds/bed-01/strip', '/api/beds/bed-01/alarm-settings', '/api/beds/bed-01/baseline', '/api/beds/bed-01/profile', '/api/alerts', `/api/alerts/${alertId}`, `/api/alerts/${alertId}/ack`, '/health', '/metrics');
    const value = fc.oneof(fc.constantFrom('active', 'raised', 'cleared', '0', '-1', '1e309', 'NaN', '2026-11-25T09:00:00Z', '99999999999999999999', '', '[]', '{}'), fc.string({ maxLength: 30 }), fc.integer().map(String));
    const query = fc
      .array(fc.tuple(fc.oneof(fc.constantFrom('state', 'bed_id', 'since', 'limit', 'access_token', 'state[]', '__proto__', 'limit[a]'), fc.string({ maxLength: 8 })), value), { maxLength: 4 })
      .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom('{"user":', '{"rules":{"hr_high":{"threshold_bpm":"fast"}}}', '{"rules":{"hr_high":{"threshold_bpm":1e308}}}', '{"user":"a\\u0000b"}', '[]', 'null', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}'),
      fc.string({ maxLength: 200 }),
      fc.integer({ min: 90_000, max: 120_000 }).map((n) => JSON.stringify({ pad: 'x'.repeat(n) })),
    );
    const auth = fc.oneof(fc.constant(undefined), fc.constantFrom(...tokens).map((t) => `Bearer ${t}`), fc.constantFrom('Bearer', 'Basic Zm9vOmJhcg==', 'Bearer a.b.c', 'bearer  x'), fc.string({ maxLength: 40 }));
    const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined);
    return fc
      .record({
        method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        path: fc.oneof(known, apiPath, anyPath),
        query,
        body,
        auth,
        contentType,
      })
      // The event stream is meant to stay open; it is tested in the security suite.
      .filter(({ method, path }) => !(method === 'GET' && /^\/api\/events\/?$/.test(path)))
      .map(({ method, path, query: q, body: b, auth: a, contentType: ct }) => ({
        method,
        path: `${path}${q}`,
        headers: { ...(a !== undefined ? { authorization: a } : {}), ...(ct ? { 'content-type': ct } : {}) },
        body: method === 'GET' || method === 'HEAD' ? undefined : b,
      }));
  }

  it(`answers ${CASES.toLocaleString('en')} random requests with a JSON 2xx/3xx/4xx, never a 5xx or a hang`, async () => {
    const cases = fc.sample(requests(), { numRuns: CASES, seed: 20261125 });
    const problems: string[] = [];
    const statuses: Record<number, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < cases.length && problems.length < 5) {
        const request = cases[next++];
        const problem = await send(request, statuses);
        if (problem) problems.push(`${problem}\n    ${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 200)} body=${JSON.stringify(request.body)?.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(problems).toEqual([]);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(CASES);
    // The fuzz reached past the guard and the validators, not only 401s and 404s.
    for (const status of [200, 400, 401, 403, 404, 413]) expect(statuses[status]).toBeGreaterThan(0);
  });

  async function send(request: FuzzRequest, statuses: Record<number, number>): Promise<string | undefined> {
    let res: Response;
    try {
      res = await fetch(`${app.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(5000) });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      // The client refusing to send (e.g. an invalid header value) is not the server's answer.
      if (error instanceof TypeError && !/fetch failed/.test(error.message)) return undefined;
      return `request failed or hung: ${(error as Error).name} ${(error as Error).message} ${cause?.message ?? ''}`;
    }
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const text = await res.text();
    if (res.status >= 500) return `status ${res.status}: ${text.slice(0, 200)}`;
    if (request.method === 'HEAD' || res.status === 204 || request.path.startsWith('/metrics')) return undefined;
    // The dashboard's static files (the page at / and its assets) are the one non-JSON success.
    if (res.status === 200 && isDashboardFile(new URL(res.url).pathname)) return /^(text\/html|text\/css|application\/javascript|image\/svg\+xml)/.test(res.headers.get('content-type') ?? '') ? undefined : `dashboard file ${request.path} served as ${res.headers.get('content-type')}`;
    if (!/application\/json/.test(res.headers.get('content-type') ?? '')) return `status ${res.status} with content-type ${res.headers.get('content-type')}: ${text.slice(0, 100)}`;
    try {
      const body = JSON.parse(text);
      if (res.status >= 400 && (body.statusCode !== res.status || typeof body.message !== 'string')) return `error body without statusCode/message: ${text.slice(0, 200)}`;
    } catch {
      return `status ${res.status} body is not JSON: ${text.slice(0, 200)}`;
    }
    return undefined;
  }
});

/** `/` and `/assets/<file>` are the dashboard's static files (the path as the URL parser resolved it: /api/%2e%2e is /). */
function isDashboardFile(pathname: string): boolean {
  return pathname === '/' || pathname.startsWith('/assets/');
}
