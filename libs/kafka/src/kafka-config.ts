import { readFileSync } from 'node:fs';

export type SaslMechanism = 'scram-sha-256' | 'scram-sha-512' | 'plain';

export interface KafkaSaslConfig {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface KafkaTlsConfig {
  /** PEM CA bundle; absent = the system trust store. */
  ca?: string;
  /** Only for development against self-signed brokers. */
  rejectUnauthorized: boolean;
}

/** Everything the Kafka adapter needs, read once at boot (see kafkaConfigFromEnv). */
export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  sasl?: KafkaSaslConfig;
  tls?: KafkaTlsConfig;
  /** Partitions given to topics this service creates (existing topics are left as they are). */
  partitions: number;
  replicationFactor: number;
  /** Create missing topics on startup (needs the cluster's CreateTopics permission). */
  createTopics: boolean;
  /** Idempotent producer (broker-side de-duplication of producer retries). */
  idempotent: boolean;
  /** Confluent Schema Registry; absent = the built-in fixed schema ids. */
  schemaRegistry?: { url: string; username?: string; password?: string };
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Longest a fetch waits for data; also bounds how long close() waits for an idle fetch. */
  fetchMaxWaitMs: number;
  /** Handler failure backoff: first delay, and the cap it doubles up to. */
  retryInitialMs: number;
  retryMaxMs: number;
}

export const KAFKA_DEFAULTS = {
  clientId: 'aicrn',
  partitions: 12,
  replicationFactor: -1,
  createTopics: true,
  idempotent: true,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  fetchMaxWaitMs: 1_000,
  retryInitialMs: 200,
  retryMaxMs: 30_000,
} as const;

export class KafkaConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaConfigError';
  }
}

type Env = Record<string, string | undefined>;

const BOOLEAN_TEXT: Record<string, boolean> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (!text) return fallback;
  const value = BOOLEAN_TEXT[text];
  if (value === undefined) throw new KafkaConfigError(`${name} must be true or false, got "${env[name]}"`);
  return value;
}

function readInteger(env: Env, name: string, fallback: number, min: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new KafkaConfigError(`${name} must be an integer >= ${min}, got "${text}"`);
  return value;
}

/**
 * Reads and validates the Kafka settings:
 * KAFKA_BROKERS (host:port,...; required), KAFKA_CLIENT_ID, KAFKA_SASL_MECHANISM
 * (scram-sha-256 | scram-sha-512 | plain) with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD,
 * KAFKA_SSL (true|false; on by default with SASL), KAFKA_SSL_CA_FILE, KAFKA_SSL_REJECT_UNAUTHORIZED,
 * KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_CREATE_TOPICS, KAFKA_IDEMPOTENT,
 * SCHEMA_REGISTRY_URL (+ SCHEMA_REGISTRY_USERNAME / SCHEMA_REGISTRY_PASSWORD),
 * KAFKA_SESSION_TIMEOUT_MS, KAFKA_HEARTBEAT_INTERVAL_MS, KAFKA_FETCH_MAX_WAIT_MS.
 * Every problem is reported at once, naming the variable.
 */
export function kafkaConfigFromEnv(env: Env = process.env): KafkaConfig {
  const problems: string[] = [];
  const attempt = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  };

  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) problems.push('KAFKA_BROKERS is required (comma-separated host:port list)');
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) problems.push(`KAFKA_BROKERS entry "${broker}" is not host:port`);
  }

  let sasl: KafkaSaslConfig | undefined;
  const mechanism = env.KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  if (mechanism) {
    if (mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512' && mechanism !== 'plain') {
      problems.push(`KAFKA_SASL_MECHANISM must be scram-sha-256, scram-sha-512 or plain, got "${env.KAFKA_SASL_MECHANISM}"`);
    } else if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) {
      problems.push(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
    } else {
      sasl = { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
    }
  } else if (env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD) {
    problems.push('KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD are set but KAFKA_SASL_MECHANISM is not');
  }

  // SASL credentials over plaintext would expose them, so TLS defaults to on with SASL.
  const ssl = attempt(() => readBoolean(env, 'KAFKA_SSL', sasl !== undefined), false);
  let tls: KafkaTlsConfig | undefined;
  if (ssl) {
    const rejectUnauthorized = attempt(() => readBoolean(env, 'KAFKA_SSL_REJECT_UNAUTHORIZED', true), true);
    let ca: string | undefined;
    if (env.KAFKA_SSL_CA_FILE) {
      try {
        ca = readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8');
      } catch (error) {
        problems.push(`KAFKA_SSL_CA_FILE "${env.KAFKA_SSL_CA_FILE}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    tls = { ca, rejectUnauthorized };
  } else if (env.KAFKA_SSL_CA_FILE) {
    problems.push('KAFKA_SSL_CA_FILE is set but KAFKA_SSL is false');
  }

  let schemaRegistry: KafkaConfig['schemaRegistry'];
  const registryUrl = env.SCHEMA_REGISTRY_URL?.trim();
  if (registryUrl) {
    if (!/^https?:\/\/\S+$/.test(registryUrl)) problems.push(`SCHEMA_REGISTRY_URL must be an http(s) URL, got "${registryUrl}"`);
    schemaRegistry = { url: registryUrl, username: env.SCHEMA_REGISTRY_USERNAME, password: env.SCHEMA_REGISTRY_PASSWORD };
  }

  const config: KafkaConfig = {
    brokers,
    clientId: env.KAFKA_CLIENT_ID?.trim() || KAFKA_DEFAULTS.clientId,
    sasl,
    tls,
    partitions: attempt(() => readInteger(env, 'KAFKA_PARTITIONS', KAFKA_DEFAULTS.partitions, 1), KAFKA_DEFAULTS.partitions),
    replicationFactor: attempt(() => readInteger(env, 'KAFKA_REPLICATION_FACTOR', KAFKA_DEFAULTS.replicationFactor, -1), -1),
    createTopics: attempt(() => readBoolean(env, 'KAFKA_CREATE_TOPICS', KAFKA_DEFAULTS.createTopics), true),
    idempotent: attempt(() => readBoolean(env, 'KAFKA_IDEMPOTENT', KAFKA_DEFAULTS.idempotent), true),
    schemaRegistry,
    sessionTimeoutMs: attempt(() => readInteger(env, 'KAFKA_SESSION_TIMEOUT_MS', KAFKA_DEFAULTS.sessionTimeoutMs, 1_000), KAFKA_DEFAULTS.sessionTimeoutMs),
    heartbeatIntervalMs: attempt(() => readInteger(env, 'KAFKA_HEARTBEAT_INTERVAL_MS', KAFKA_DEFAULTS.heartbeatIntervalMs, 100), KAFKA_DEFAULTS.heartbeatIntervalMs),
    fetchMaxWaitMs: attempt(() => readInteger(env, 'KAFKA_FETCH_MAX_WAIT_MS', KAFKA_DEFAULTS.fetchMaxWaitMs, 10), KAFKA_DEFAULTS.fetchMaxWaitMs),
    retryInitialMs: KAFKA_DEFAULTS.retryInitialMs,
    retryMaxMs: KAFKA_DEFAULTS.retryMaxMs,
  };
  // A member must heartbeat several times per session or the group evicts it between two beats.
  if (config.heartbeatIntervalMs * 3 > config.sessionTimeoutMs) {
    problems.push(`KAFKA_HEARTBEAT_INTERVAL_MS (${config.heartbeatIntervalMs}) must be at most a third of KAFKA_SESSION_TIMEOUT_MS (${config.sessionTimeoutMs})`);
  }
  if (problems.length) throw new KafkaConfigError(`invalid Kafka configuration: ${problems.join('; ')}`);
  return config;
}

/** A complete config from brokers plus overrides, for code and tests that do not read the environment. */
export function kafkaConfig(brokers: string[], overrides: Partial<KafkaConfig> = {}): KafkaConfig {
  return { ...KAFKA_DEFAULTS, createTopics: KAFKA_DEFAULTS.createTopics, brokers, ...overrides };
}

/** The config with secrets replaced, safe for logs and /health output. */
export function redactKafkaConfig(config: KafkaConfig): Record<string, unknown> {
  return {
    ...config,
    sasl: config.sasl ? { mechanism: config.sasl.mechanism, username: config.sasl.username, password: '[redacted]' } : undefined,
    tls: config.tls ? { rejectUnauthorized: config.tls.rejectUnauthorized, ca: config.tls.ca ? '[pem]' : undefined } : undefined,
    schemaRegistry: config.schemaRegistry
      ? { url: config.schemaRegistry.url.replace(/\/\/[^/@]*@/, '//[redacted]@'), username: config.schemaRegistry.username, password: config.schemaRegistry.password ? '[redacted]' : undefined }
      : undefined,
  };
}
