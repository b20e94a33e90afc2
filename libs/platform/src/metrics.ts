import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The pipeline's Prometheus metrics, one registry per process. */
export class PipelineMetrics {
  readonly registry = new Registry();
  readonly windowsIn = new Counter({ name: 'aicrn_windows_in_total', help: 'Device windows received by ingestion', registers: [this.registry] });
  readonly windowsRejected = new Counter({
    name: 'aicrn_windows_rejected_total',
    help: 'Windows sent to the dead-letter topic, by reason code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly windowsValidated = new Counter({ name: 'aicrn_windows_validated_total', help: 'Windows published to ecg.windows.v1', registers: [this.registry] });
  readonly windowsMeasured = new Counter({
    name: 'aicrn_windows_measured_total',
    help: 'Measurements published, by method',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'aicrn_alert_events_total',
    help: 'Alert lifecycle events published, by kind, priority and state',
    labelNames: ['kind', 'priority', 'state'] as const,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'aicrn_inference_batch_size',
    help: 'Windows per inference micro-batch',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });
  readonly measurementLatency = new Histogram({
    name: 'aicrn_measurement_latency_ms',
    help: "From a window's end time to its measurement being published (ms)",
    buckets: [50, 100, 250, 500, 1000, 2000, 5000, 10000, 30000],
    registers: [this.registry],
  });
  readonly processingLatency = new Histogram({
    name: 'aicrn_processing_latency_ms',
    help: 'Time to measure one window inside inference (ms)',
    buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2000],
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'aicrn_consumer_lag',
    help: 'Records published but not yet committed, by topic and consumer group',
    labelNames: ['topic', 'group'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({ name: 'aicrn_inference_queue_depth', help: 'Windows waiting in the inference queue', registers: [this.registry] });

  constructor(app: string, withDefaults = true) {
    this.registry.setDefaultLabels({ app });
    if (withDefaults) collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
