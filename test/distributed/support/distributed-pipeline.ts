import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { TestKafka } from '../../infra/test-infra';
import { AppName, AppProcess, ChildUnderTest, ROOT } from './app-process';

/** Consumer-group timing for the apps under test: the mock broker waits session - 1 s on every rebalance. */
export const TEST_SESSION_TIMEOUT_MS = 6_000;

/** Environment of every app process: the test Kafka and Redis, a key prefix of its own, open auth, quiet logs. */
export function distributedEnv(kafka: TestKafka, redisUrl: string, keyPrefix: string): Record<string, string> {
  return {
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_IDEMPOTENT: String(kafka.idempotentProducer),
    KAFKA_CREATE_TOPICS: String(kafka.createTopics),
    KAFKA_PARTITIONS: String(kafka.partitions ?? 8),
    KAFKA_SESSION_TIMEOUT_MS: String(TEST_SESSION_TIMEOUT_MS),
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    KAFKA_FETCH_MAX_WAIT_MS: '200',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    AUTH_MODE: 'open',
    LOG_LEVEL: 'warn',
    MEASURE_METHOD: 'dsp',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
}

/** A key prefix no other test uses, so suites can share one Redis. */
export function uniqueKeyPrefix(test: string): string {
  return `t-${test}-${randomBytes(3).toString('hex')}:`;
}

/**
 * The three apps as separate processes (plus CLI tools), started and stopped together. Every failure
 * message carries the recent output of all of them.
 */
export class DistributedPipeline {
  readonly children: ChildUnderTest[] = [];

  constructor(readonly env: Record<string, string>) {}

  /** Starts an app and waits until /ready answers 200 (broker and Redis reachable). */
  async startApp(app: AppName, name: string = app, timeoutMs = 30_000): Promise<AppProcess> {
    const process = await AppProcess.start(app, { ...this.env, KAFKA_CLIENT_ID: `aicrn-${name}` }, name);
    this.children.push(process);
    await process.waitUntilReady(timeoutMs, () => this.logs());
    return process;
  }

  /** Starts ingestion, inference and alerting in parallel. */
  async startAll(): Promise<{ ingestion: AppProcess; inference: AppProcess; alerting: AppProcess }> {
    const [ingestion, inference, alerting] = await Promise.all([this.startApp('ingestion'), this.startApp('inference'), this.startApp('alerting')]);
    return { ingestion, inference, alerting };
  }

  /** Runs the device-side CLI (`aicrn simulate` / `aicrn replay`) to completion. */
  async runCli(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; child: ChildUnderTest }> {
    const child = new ChildUnderTest(
      `aicrn ${args[0]}`,
      spawn(process.execPath, [join(__dirname, 'device-cli.js'), ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', KAFKA_IDEMPOTENT: this.env.KAFKA_IDEMPOTENT, KAFKA_CREATE_TOPICS: this.env.KAFKA_CREATE_TOPICS },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    this.children.push(child);
    const { code } = await child.waitForExit(timeoutMs);
    return { code, stdout: child.stdout, child };
  }

  /** Recent output of every process, for failure messages. */
  logs(): string {
    return this.children.map((c) => `--- ${c.name} (pid ${c.pid}${c.exited ? `, exited ${c.child.exitCode ?? c.child.signalCode}` : ''})\n${c.output()}`).join('\n');
  }

  /** Throws (with the logs) if an app that should be running has exited. */
  assertRunning(...apps: AppProcess[]): void {
    const dead = apps.filter((a) => a.exited);
    if (dead.length) throw new Error(`${dead.map((a) => a.describeExit()).join('; ')}\n${this.logs()}`);
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.children.map((c) => c.stop()));
  }
}
