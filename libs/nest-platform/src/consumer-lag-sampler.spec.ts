import { TOPICS } from '@aicrn/contracts';
import { sampleMeasurement } from '@aicrn/contracts/testing';
import { createLogger, PipelineMetrics } from '@aicrn/platform';
import { InMemoryBus } from '@aicrn/transport';
import { ConsumerLagSampler } from './consumer-lag-sampler';

describe('ConsumerLagSampler', () => {
  it('reports each subscription lag as aicrn_consumer_lag{topic,group} and drops it when the subscription closes', async () => {
    const metrics = new PipelineMetrics('test', false);
    const sampler = new ConsumerLagSampler(metrics, createLogger('test', 'silent'));
    const bus = sampler.instrument(new InMemoryBus({ partitions: 2 }));
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const subscription = await bus.subscribe(TOPICS.measurements, { groupId: 'slow-group', maxBatchSize: 1 }, () => blocked);
    await bus.publish(
      TOPICS.measurements,
      Array.from({ length: 5 }, (_, i) => ({ key: `bed-${i}`, value: sampleMeasurement({ bed_id: `bed-${i}` }) })),
    );
    await sampler.sample();
    const text = await metrics.text();
    const lag = Number(/aicrn_consumer_lag\{topic="ecg.measurements.v1",group="slow-group",app="test"\} (\d+)/.exec(text)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(4);
    release();
    await subscription.close();
    expect(await metrics.text()).not.toContain('group="slow-group"');
    await bus.close();
  });

  it('keeps the bus instance (and its other methods) while instrumenting it', () => {
    const bus = new InMemoryBus();
    const sampler = new ConsumerLagSampler(new PipelineMetrics('test', false), createLogger('test', 'silent'));
    expect(sampler.instrument(bus)).toBe(bus);
    expect(typeof bus.peek).toBe('function');
  });
});
