import { ALL_TOPICS } from '@aicrn/contracts';
import { MockKafkaCluster, mockClusterBinary } from '../../infra/kafka-mock';
import type { TestKafka } from '../../infra';

/**
 * The consumer groups of the distributed pipeline (README, "Consumer groups") and of a TopicObserver
 * named `observer`. The mock hashes any other group id onto a broker, up or down, and never moves it.
 */
export function pipelineGroups(observer: string): string[] {
  return ['aicrn-ingestion', 'aicrn-inference', 'aicrn-alerting', 'aicrn-display-strip', `test-observer-${observer}-measurements`, `test-observer-${observer}-alerts`];
}

/**
 * A librdkafka mock cluster of several brokers with every topic replicated over three of them, and
 * the part of a Kafka controller the mock lacks: when a broker is lost, leadership of its partitions
 * and the groups it coordinates move to the surviving replicas (moveOffBroker); once it is back, the
 * preferred leaders are restored (preferredLeaderElection, what auto.leader.rebalance does).
 * Leaders and coordinators are placed explicitly (broker = index % brokers + 1), so every broker
 * leads a share of each topic's partitions and coordinates some groups.
 */
export class ReplicatedMockCluster {
  private readonly preferred = new Map<string, number>();
  private readonly current = new Map<string, number>();

  private constructor(
    private readonly cluster: MockKafkaCluster,
    readonly brokerCount: number,
    private readonly groups: readonly string[],
  ) {}

  static unavailableReason(): string | null {
    const build = mockClusterBinary();
    return 'error' in build ? build.error : null;
  }

  static async start(options: { brokers: number; partitions: number; groups: readonly string[] }): Promise<ReplicatedMockCluster> {
    const cluster = await MockKafkaCluster.start({ brokers: options.brokers, partitions: options.partitions, topics: ALL_TOPICS });
    const replicated = new ReplicatedMockCluster(cluster, options.brokers, options.groups);
    try {
      let index = 0;
      for (const topic of ALL_TOPICS) {
        for (let p = 0; p < options.partitions; p++) replicated.preferred.set(partitionKey(topic, p), (index++ % options.brokers) + 1);
      }
      options.groups.forEach((group, i) => replicated.preferred.set(groupKey(group), (i % options.brokers) + 1));
      await replicated.place(replicated.preferred);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return replicated;
  }

  /** The cluster as the test infrastructure describes a Kafka; brokerDown/brokerUp only cut and restore connections. */
  get kafka(): TestKafka {
    const cluster = this.cluster;
    return {
      source: 'local',
      brokers: cluster.brokers,
      partitions: cluster.partitions,
      idempotentProducer: false,
      createTopics: false,
      brokerDown: (id) => cluster.brokerDown(id),
      brokerUp: (id) => cluster.brokerUp(id),
      stop: () => cluster.stop(),
    };
  }

  /** Groups that broker `id` coordinates now. */
  groupsCoordinatedBy(id: number): string[] {
    return this.groups.filter((group) => this.current.get(groupKey(group)) === id);
  }

  /** Partitions (topic/partition) that broker `id` leads now. */
  partitionsLedBy(id: number): string[] {
    return [...this.current].filter(([key, broker]) => broker === id && !key.startsWith('group:')).map(([key]) => key);
  }

  /**
   * What the controller does once it declares broker `id` dead: each partition it led gets a new
   * leader among the other replicas, each group it coordinated a new coordinator (spread over the
   * survivors in turn). Returns how many partitions and groups moved.
   */
  async moveOffBroker(id: number): Promise<{ partitions: number; groups: number }> {
    const survivors = Array.from({ length: this.brokerCount }, (_, i) => i + 1).filter((b) => b !== id);
    const moves = new Map<string, number>();
    let turn = 0;
    for (const [key, broker] of this.current) if (broker === id) moves.set(key, survivors[turn++ % survivors.length]);
    await this.place(moves);
    const groups = [...moves.keys()].filter((key) => key.startsWith('group:')).length;
    return { partitions: moves.size - groups, groups };
  }

  /** Leadership and coordination back to where they started (the preferred replicas). */
  async preferredLeaderElection(): Promise<void> {
    await this.place(new Map([...this.preferred].filter(([key, broker]) => this.current.get(key) !== broker)));
  }

  stop(): Promise<void> {
    return this.cluster.stop();
  }

  private async place(assignments: Map<string, number>): Promise<void> {
    for (const [key, broker] of assignments) {
      if (key.startsWith('group:')) await this.cluster.setGroupCoordinator(key.slice('group:'.length), broker);
      else {
        const slash = key.lastIndexOf('/');
        await this.cluster.setPartitionLeader(key.slice(0, slash), Number(key.slice(slash + 1)), broker);
      }
      this.current.set(key, broker);
    }
  }
}

const partitionKey = (topic: string, partition: number) => `${topic}/${partition}`;
const groupKey = (group: string) => `group:${group}`;
