/**
 * Child process for the "consumer killed mid-batch" test: joins a group, reports the records of
 * one bed it received over IPC, and never finishes the batch, so nothing gets committed before the
 * parent kills it with SIGKILL.
 * argv: <json {brokers, groupId, bed, sessionTimeoutMs}>
 */
import { TOPICS } from '@aicrn/contracts';
import { KafkaBus, kafkaTestConfig } from '@aicrn/kafka';

// Never outlive the test process: the IPC channel closes when the parent goes away.
process.on('disconnect', () => process.exit(1));

async function main(): Promise<void> {
  const { brokers, groupId, bed, sessionTimeoutMs } = JSON.parse(process.argv[2]);
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const bus = await KafkaBus.connect(
    kafkaTestConfig({ brokers, partitions: null, idempotentProducer: false, createTopics: false }, { sessionTimeoutMs }),
    { logger: quiet },
  );
  await bus.subscribe(TOPICS.raw, { groupId }, async (messages) => {
    const seqs = messages.filter((m) => m.key === bed).map((m) => m.value.seq);
    if (seqs.length === 0) return;
    process.send?.({ got: seqs });
    await new Promise(() => undefined);
  });
  process.send?.({ subscribed: true });
}

main().catch((error) => {
  process.send?.({ error: String(error) });
  process.exit(1);
});
