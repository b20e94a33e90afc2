import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killAtExit, stopChild } from '@aicrn/platform';
import { mockClusterBinary } from './mock-cluster-binary';

const STARTUP_TIMEOUT_MS = 10_000;

/**
 * A running librdkafka mock cluster: real Kafka protocol on 127.0.0.1, topics created up front
 * (the mock does not implement the CreateTopics API). It exits when our stdin closes, so it cannot
 * outlive the process that started it, even one that is SIGKILLed. Brokers are numbered from 1;
 * topics are replicated over min(brokers, 3) of them.
 *
 * Limits: about 5 MB kept per partition (older records are dropped), a fixed 3-s delay on a
 * consumer group's first join, controller id 0 (so kafkajs cannot get an idempotent producer id).
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
    const child = spawn(build.binary, [String(options.brokers ?? 1), String(options.partitions), ...options.topics], { stdio: ['pipe', 'pipe', 'pipe'] });
    killAtExit(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const bootstrap = await new Promise<string>((resolveLine, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`mock cluster printed no bootstrap line within ${STARTUP_TIMEOUT_MS / 1000} s: ${stderr}`)), STARTUP_TIMEOUT_MS);
      child.once('error', (error) => reject(new Error(`mock cluster could not start: ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`mock cluster exited with ${code}: ${stderr.trim()}`)));
      lines.once('line', (line) => {
        clearTimeout(timer);
        lines.close();
        resolveLine(line);
      });
    }).catch(async (error: Error) => {
      await stopChild(child);
      throw error;
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

  /**
   * Moves a partition's leadership to broker `id` (-1 = leaderless). The mock has no controller:
   * after brokerDown, leadership stays on the dead broker until moved, as a real controller would.
   */
  setPartitionLeader(topic: string, partition: number, id: number): Promise<void> {
    return this.command(`leader ${topic} ${partition} ${id}`);
  }

  /** Makes broker `id` the coordinator of a consumer group (by default the mock hashes the group id over all brokers, up or down). */
  setGroupCoordinator(groupId: string, id: number): Promise<void> {
    return this.command(`coordinator ${groupId} ${id}`);
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
