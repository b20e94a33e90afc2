import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { ALL_TOPICS } from '@aicrn/contracts';
import { MockKafkaCluster, mockClusterBinary } from './kafka-mock';
import { RedisProcess, redisServerAvailable } from './redis-process';

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.setTimeout(1_000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function running(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const mock = mockClusterBinary();
(('binary' in mock) ? describe : describe.skip)('local mock Kafka cluster', () => {
  it('serves the topics, takes a broker down and up on command, and exits with its parent pipe', async () => {
    const cluster = await MockKafkaCluster.start({ brokers: 2, partitions: 2, topics: ALL_TOPICS });
    expect(cluster.brokers).toHaveLength(2);
    expect(await accepts(cluster.brokers[0])).toBe(true);
    await cluster.brokerDown(1);
    expect(await accepts(cluster.brokers[0])).toBe(false);
    expect(await accepts(cluster.brokers[1])).toBe(true);
    await cluster.brokerUp(1);
    expect(await accepts(cluster.brokers[0])).toBe(true);
    await cluster.createTopic('extra.topic', 1);
    await expect(cluster.createTopic('bad', 0 as number)).rejects.toThrow(/refused/);
    await cluster.stop();
    expect(await accepts(cluster.brokers[0])).toBe(false);
  });
});

(redisServerAvailable().available ? describe : describe.skip)('local redis-server', () => {
  it('starts on a free port and is gone after stop()', async () => {
    const server = await RedisProcess.start();
    expect(running(`redis-server 127.0.0.1:${server.port}`)).not.toBe('');
    await server.stop();
    expect(running(`redis-server 127.0.0.1:${server.port}`)).toBe('');
  });
});
