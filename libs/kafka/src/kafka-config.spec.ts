import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConfigError, kafkaConfigFromEnv, redactKafkaConfig } from './kafka-config';
import { retryDelayMs } from './retry-backoff';

describe('kafkaConfigFromEnv', () => {
  it('reads brokers and defaults', () => {
    const config = kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(config).toMatchObject({ brokers: ['a:9092', 'b:9093'], clientId: 'aicrn', partitions: 12, idempotent: true, createTopics: true });
    expect(config.sasl).toBeUndefined();
    expect(config.tls).toBeUndefined();
  });

  it('turns TLS on with SASL/SCRAM and reads the CA file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-ca-'));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = kafkaConfigFromEnv({
      KAFKA_BROKERS: 'k:9094',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 's3cret',
      KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
      KAFKA_PARTITIONS: '12',
    });
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc', password: 's3cret' });
    expect(config.tls).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(config.partitions).toBe(12);
    const logged = JSON.stringify(redactKafkaConfig(config));
    expect(logged).not.toContain('s3cret');
    expect(logged).not.toContain('MIIB');
  });

  it('reports every problem at once, by variable name', () => {
    let error: unknown;
    try {
      kafkaConfigFromEnv({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_PARTITIONS: 'many', KAFKA_SSL: 'maybe', KAFKA_SSL_CA_FILE: '/nope/ca.pem' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KafkaConfigError);
    const message = (error as Error).message;
    for (const name of ['KAFKA_BROKERS', 'KAFKA_SASL_MECHANISM', 'KAFKA_PARTITIONS', 'KAFKA_SSL']) expect(message).toContain(name);
  });

  it('refuses credentials without a mechanism and a mechanism without credentials', () => {
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', KAFKA_SASL_USERNAME: 'u' })).toThrow(/KAFKA_SASL_MECHANISM is not/);
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toThrow(/needs KAFKA_SASL_USERNAME/);
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'k' })).toThrow(/not host:port/);
  });

  it('reads consumer group timing, refusing a heartbeat too slow for the session', () => {
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1' })).toMatchObject({ sessionTimeoutMs: 30_000, heartbeatIntervalMs: 3_000, fetchMaxWaitMs: 1_000 });
    const fast = kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '500', KAFKA_FETCH_MAX_WAIT_MS: '100' });
    expect(fast).toMatchObject({ sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, fetchMaxWaitMs: 100 });
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', KAFKA_SESSION_TIMEOUT_MS: '6000' })).toThrow(/KAFKA_HEARTBEAT_INTERVAL_MS \(3000\) must be at most a third of KAFKA_SESSION_TIMEOUT_MS \(6000\)/);
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', KAFKA_SESSION_TIMEOUT_MS: '10s' })).toThrow(/KAFKA_SESSION_TIMEOUT_MS must be an integer/);
  });

  it('redacts schema registry credentials, also inside the URL', () => {
    const config = kafkaConfigFromEnv({ KAFKA_BROKERS: 'k:1', SCHEMA_REGISTRY_URL: 'https://user:pw@sr.example:8081', SCHEMA_REGISTRY_PASSWORD: 'pw2' });
    const logged = JSON.stringify(redactKafkaConfig(config));
    expect(logged).not.toContain('pw@');
    expect(logged).not.toContain('pw2');
  });
});

describe('retryDelayMs', () => {
  it('doubles from the initial delay up to the cap, with bounded jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 10, 1000].map((a) => retryDelayMs(a, 100, 1000, mid))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryDelayMs(1, 100, 1000, () => 0)).toBe(80);
    expect(retryDelayMs(1, 100, 1000, () => 0.999)).toBeLessThanOrEqual(120);
  });
});
