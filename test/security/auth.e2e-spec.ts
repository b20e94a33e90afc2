import { Alert, TOPICS } from '@aicrn/contracts';
import { sampleMeasurement } from '@aicrn/contracts/testing';
import { ConfigError, loadConfig } from '@aicrn/platform';
import { EmbeddedUnderTest, startEmbedded } from '../support/embedded-app';
import { eventually } from '../support/eventually';
import { TEST_JWT_SECRET, testToken } from './tokens';

jest.setTimeout(60_000);

/** The embedded app with AUTH_MODE=jwt: every role boundary of the HTTP API. */
describe('API authentication and roles (AUTH_MODE=jwt)', () => {
  let app: EmbeddedUnderTest;
  let viewer: string;
  let clinician: string;
  let admin: string;
  let alertId: string;

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
  };

  beforeAll(async () => {
    app = await startEmbedded({ SIM_BEDS: '0', AUTH_MODE: 'jwt', AUTH_JWT_SECRET: TEST_JWT_SECRET, AUTH_JWT_ISSUER: 'https://idp.test', AUTH_JWT_AUDIENCE: 'aicrn' });
    const claims = { issuer: 'https://idp.test', audience: 'aicrn' };
    [viewer, clinician, admin] = await Promise.all([
      testToken({ ...claims, sub: 'v-1', roles: ['viewer'] }),
      testToken({ ...claims, sub: 'c-7', name: 'Nurse Station 2', roles: ['clinician'] }),
      testToken({ ...claims, sub: 'a-1', roles: 'admin' }),
    ]);
    // 40 s of lead-off windows raise a technical alert for bed-sec, which the tests acknowledge.
    const end = Date.now() - 60_000;
    await app.bus.publish(
      TOPICS.measurements,
      Array.from({ length: 5 }, (_, i) => ({
        key: 'bed-sec',
        value: sampleMeasurement({ bed_id: 'bed-sec', window_id: `bed-sec:dev:${i}`, window_start_ms: end + (i - 1) * 10_000, window_end_ms: end + i * 10_000, quality: 0.05, quality_reasons: ['lead off'] }),
      })),
    );
    alertId = await eventually('the technical alert of bed-sec', async () => (await app.state.listAlerts({ bed_id: 'bed-sec', state: 'active', limit: 10 }))[0]?.alert_id, {
      timeoutMs: 15_000,
    });
  });
  afterAll(() => app?.close());

  it('leaves /health and /ready open, and /metrics open by default (METRICS_PUBLIC=true)', async () => {
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('GET', '/ready')).status).toBe(200);
    expect((await call('GET', '/metrics')).status).toBe(200);
  });

  it('answers a request without a token with 401 JSON and a Bearer challenge', async () => {
    const res = await call('GET', '/api/beds');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED', message: expect.stringContaining('bearer token') });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="aicrn"');
  });

  it.each([
    ['an expired token', () => testToken({ issuer: 'https://idp.test', audience: 'aicrn', expiresInS: -120 }), 'token expired'],
    ['a token signed with another key', () => testToken({ issuer: 'https://idp.test', audience: 'aicrn', secret: 'another-secret-another-secret-another-secret' }), 'signature'],
    ['a token from another issuer', () => testToken({ issuer: 'https://evil.test', audience: 'aicrn' }), 'iss'],
    ['a token for another audience', () => testToken({ issuer: 'https://idp.test', audience: 'billing' }), 'aud'],
    ['garbage', async () => 'not.a.jwt', 'malformed'],
    ['an unsigned (alg none) token', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', roles: ['admin'], exp: 9e9 })).toString('base64url')}.`, ''],
  ])('answers %s with 401 invalid_token', async (_label, token, reason) => {
    const res = await call('GET', '/api/beds', await token());
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: expect.stringContaining(reason) });
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('lets a viewer read but not acknowledge (403 naming the role needed)', async () => {
    expect((await call('GET', '/api/beds', viewer)).status).toBe(200);
    expect((await call('GET', '/api/alerts?state=active', viewer)).status).toBe(200);
    expect((await call('GET', '/api/beds/bed-sec/alarm-settings', viewer)).status).toBe(200);
    const ack = await call('POST', `/api/alerts/${alertId}/ack`, viewer, {});
    expect(ack.status).toBe(403);
    expect(ack.body).toMatchObject({ statusCode: 403, error: 'FORBIDDEN', message: expect.stringContaining('needs the clinician role') });
    expect((await call('POST', '/api/beds/bed-sec/baseline', viewer)).status).toBe(403);
    expect((await call('PUT', '/api/beds/bed-sec/profile', viewer, {})).status).toBe(403);
  });

  it('treats a token without a known role as no access to the API', async () => {
    const nobody = await testToken({ issuer: 'https://idp.test', audience: 'aicrn', roles: ['guest'] });
    expect((await call('GET', '/api/beds', nobody)).status).toBe(403);
  });

  it('lets a clinician acknowledge, attributed to the token holder rather than the request body', async () => {
    const ack = await call('POST', `/api/alerts/${alertId}/ack`, clinician, { user: 'someone-else' });
    expect(ack.status).toBe(200);
    expect(ack.body as Alert).toMatchObject({ alert_id: alertId, acknowledged_by: 'Nurse Station 2' });
    expect((await call('POST', '/api/beds/bed-sec/baseline', clinician)).status).toBe(200);
    expect((await call('PUT', '/api/beds/bed-sec/profile', clinician, {})).status).toBe(200);
  });

  it('lets an admin do everything', async () => {
    expect((await call('GET', '/api/beds', admin)).status).toBe(200);
    expect((await call('GET', `/api/alerts/${alertId}`, admin)).status).toBe(200);
    expect((await call('POST', '/api/beds/bed-sec/baseline', admin)).status).toBe(200);
    expect((await call('PUT', '/api/beds/bed-sec/profile', admin, {})).status).toBe(200);
    expect((await call('POST', `/api/alerts/${alertId}/ack`, admin, {})).status).toBe(200);
  });

  it('accepts ?access_token= on the event stream only (EventSource cannot send headers)', async () => {
    expect((await call('GET', `/api/beds?access_token=${viewer}`)).status).toBe(401);
    const noToken = await fetch(`${app.url}/api/events`);
    expect(noToken.status).toBe(401);
    const controller = new AbortController();
    const stream = await fetch(`${app.url}/api/events?access_token=${viewer}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
  });
});

describe('auth configuration', () => {
  it('refuses jwt mode without a key, naming the variables to set', () => {
    expect(() => loadConfig('alerting', {})).toThrow(ConfigError);
    expect(() => loadConfig('alerting', {})).toThrow(/AUTH_JWT_SECRET.*AUTH_JWT_PUBLIC_KEY.*AUTH_JWKS_URL/);
    expect(() => loadConfig('ingestion', { AUTH_MODE: 'jwt' })).toThrow(ConfigError);
  });

  it('is open only when configured so, or in the embedded demo', () => {
    expect(loadConfig('alerting', { AUTH_MODE: 'open' }).auth.mode).toBe('open');
    expect(loadConfig('embedded', {}).auth.mode).toBe('open');
    expect(loadConfig('alerting', { AUTH_JWT_SECRET: TEST_JWT_SECRET }).auth).toMatchObject({ mode: 'jwt', key: { kind: 'secret' }, rolesClaim: 'roles', metricsPublic: true });
  });

  it('rejects a short secret without echoing it, and more than one key source', () => {
    const short = 'short-secret-value';
    let message = '';
    try {
      loadConfig('alerting', { AUTH_JWT_SECRET: short });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/AUTH_JWT_SECRET: an HS256 secret needs at least 32 characters/);
    expect(message).not.toContain(short);
    expect(() => loadConfig('alerting', { AUTH_JWT_SECRET: TEST_JWT_SECRET, AUTH_JWKS_URL: 'https://idp.test/jwks' })).toThrow(/only one of/);
  });
});
