import { Writable } from 'node:stream';
import { RunningApp, startApp } from '@aicrn/nest-platform';
import { createLogger } from '@aicrn/platform';
import { embeddedFeatures } from '../../apps/embedded/src/embedded.features';
import { AlertingModule } from '../../apps/alerting/src/alerting.module';
import { startEmbedded } from '../support/embedded-app';
import { TEST_JWT_SECRET, testToken } from './tokens';

jest.setTimeout(30_000);

describe('request hardening', () => {
  it('rate-limits /api per client with 429 JSON and Retry-After, leaving probes alone', async () => {
    const app = await startEmbedded({ SIM_BEDS: '0', RATE_LIMIT_PER_MIN: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${app.url}/api/beds`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await fetch(`${app.url}/api/alerts`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await limited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('5 requests per minute') });
      for (let i = 0; i < 10; i++) expect((await fetch(`${app.url}/health`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('sends security headers and no CORS grant by default', async () => {
    const app = await startEmbedded({ SIM_BEDS: '0' });
    try {
      const res = await fetch(`${app.url}/api/beds`, { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('protects /metrics with the admin role when METRICS_PUBLIC=false', async () => {
    const app = await startEmbedded({ SIM_BEDS: '0', AUTH_MODE: 'jwt', AUTH_JWT_SECRET: TEST_JWT_SECRET, METRICS_PUBLIC: 'false' });
    try {
      expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
      const viewer = await testToken({ roles: ['viewer'] });
      expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(403);
      const admin = await testToken({ roles: ['admin'] });
      const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('aicrn_windows_in_total');
    } finally {
      await app.close();
    }
  });
});

describe('secrets in logs', () => {
  it('never writes the JWT secret, the Kafka SASL password or a bearer token to the log', async () => {
    const secrets = { AUTH_JWT_SECRET: 'jwt-secret-that-must-not-leak-0123456789', KAFKA_SASL_PASSWORD: 'sasl-password-must-not-leak', SCHEMA_REGISTRY_PASSWORD: 'registry-password-must-not-leak' };
    let output = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const logger = createLogger('alerting', 'trace', sink);
    // Memory transport (no KAFKA_BROKERS) so the test needs no broker; the secrets are still in the environment the app reads.
    const env = { PORT: '0', LOG_LEVEL: 'trace', AUTH_MODE: 'jwt', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'svc', ...secrets };
    let running: RunningApp | undefined;
    try {
      running = await startApp('alerting', () => [AlertingModule], env, { logger });
      const token = await testToken({ secret: secrets.AUTH_JWT_SECRET, roles: ['viewer'] });
      await fetch(`${running.url}/api/beds`, { headers: { authorization: `Bearer ${token}` } });
      await fetch(`${running.url}/api/beds`, { headers: { authorization: `Bearer ${token}x` } });
      await fetch(`${running.url}/api/alerts/0123456789abcdef/ack`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"user":"x"}' });
      logger.info({ password: secrets.KAFKA_SASL_PASSWORD, headers: { authorization: `Bearer ${token}` } }, 'a careless log line');
      expect(output).toContain('alerting listening');
      expect(output).toContain('request forbidden by role');
      for (const value of [...Object.values(secrets), token]) expect(output).not.toContain(value);
    } finally {
      await running?.app.close();
    }
  });

  it('keeps the embedded app quiet about the environment it was given', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const secret = 'embedded-secret-that-must-not-leak-012345';
    const running = await startApp('embedded', embeddedFeatures, { PORT: '0', LOG_LEVEL: 'trace', SIM_BEDS: '1', AUTH_MODE: 'jwt', AUTH_JWT_SECRET: secret }, { logger: createLogger('embedded', 'trace', sink) });
    await running.app.close();
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(secret);
  });
});
