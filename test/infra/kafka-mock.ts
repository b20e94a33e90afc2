import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild, track } from './process-guard';

const SOURCE = join(__dirname, 'kafka-mock', 'mock_cluster.c');
const CACHE_DIR = resolve(__dirname, '..', '..', 'node_modules', '.cache', 'aicrn');
const MOCK_HEADER = '/usr/include/librdkafka/rdkafka_mock.h';

let compiled: { binary: string } | { error: string } | undefined;

/**
 * Compiles the mock-cluster program once per source version into node_modules/.cache/aicrn
 * (synchronous: Jest decides whether to skip a suite while collecting it). Concurrent Jest workers
 * each compile to a temporary name and rename, so nobody runs a half-written binary.
 */
export function mockClusterBinary(): { binary: string } | { error: string } {
  if (compiled) return compiled;
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
  const binary = join(CACHE_DIR, `mock_cluster-${hash}`);
  if (existsSync(binary)) return (compiled = { binary });
  if (!existsSync(MOCK_HEADER)) return (compiled = { error: `${MOCK_HEADER} is missing (apt-get install librdkafka-dev)` });
  mkdirSync(CACHE_DIR, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  const result = spawnSync('gcc', ['-O2', '-Wall', '-o', temporary, SOURCE, '-lrdkafka'], { encoding: 'utf8', timeout: 60_000 });
  if (result.error) return (compiled = { error: `gcc could not run: ${result.error.message} (apt-get install gcc)` });
  if (result.status !== 0) return (compiled = { error: `compiling ${SOURCE} failed: ${result.stderr.trim().split('\n').slice(0, 3).join(' | ')}` });
  renameSync(temporary, binary);
  return (compiled = { binary });
}

/**
 * A running librdkafka mock cluster: real Kafka protocol on 127.0.0.1, topics created up front
 * (the mock does not implement the CreateTopics API). It exits when our stdin closes, so it cannot
 * outlive the test process. Brokers are numbered from 1.
 */
export class MockKafkaCluster {
  private pending: Array<{ resolve: () => void; reject: (error: Error) => void; command: string }> = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly brokers: string[],
    readonly partitions: number,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const waiter = this.pending.shift();
      if (!waiter) return;
      if (line.startsWith('ok ')) waiter.resolve();
      else waiter.reject(new Error(`mock cluster refused "${waiter.command}": ${line}`));
    });
  }

  static async start(options: { brokers?: number; partitions: number; topics: readonly string[] }): Promise<MockKafkaCluster> {
    const build = mockClusterBinary();
    if ('error' in build) throw new Error(build.error);
    const child = track(spawn(build.binary, [String(options.brokers ?? 1), String(options.partitions), ...options.topics], { stdio: ['pipe', 'pipe', 'pipe'] }));
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const bootstrap = await new Promise<string>((resolveLine, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`mock cluster printed no bootstrap line within 10 s: ${stderr}`)), 10_000);
      child.once('exit', (code) => reject(new Error(`mock cluster exited with ${code}: ${stderr.trim()}`)));
      lines.once('line', (line) => {
        clearTimeout(timer);
        lines.close();
        resolveLine(line);
      });
    });
    const match = /^bootstrap (\S+)$/.exec(bootstrap);
    if (!match) {
      await stopChild(child);
      throw new Error(`unexpected first line from the mock cluster: ${bootstrap}`);
    }
    return new MockKafkaCluster(child, match[1].split(','), options.partitions);
  }

  /** Disconnects broker `id` (1-based; -1 = all) and refuses new connections until brokerUp. */
  brokerDown(id: number): Promise<void> {
    return this.command(`down ${id}`);
  }

  brokerUp(id: number): Promise<void> {
    return this.command(`up ${id}`);
  }

  setRoundTripMs(id: number, ms: number): Promise<void> {
    return this.command(`rtt ${id} ${ms}`);
  }

  createTopic(topic: string, partitions: number): Promise<void> {
    return this.command(`topic ${topic} ${partitions}`);
  }

  stop(): Promise<void> {
    this.pending.forEach((waiter) => waiter.reject(new Error('mock cluster stopped')));
    this.pending = [];
    return stopChild(this.child);
  }

  private command(command: string): Promise<void> {
    if (this.child.exitCode !== null) return Promise.reject(new Error(`mock cluster has exited; cannot run "${command}"`));
    return new Promise((resolveCommand, reject) => {
      this.pending.push({ resolve: resolveCommand, reject, command });
      this.child.stdin!.write(`${command}\n`);
    });
  }
}
