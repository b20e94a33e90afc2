import { AttentionSpan, BeatFiducials, Unmeasured, ValidatedWindow } from '@aicrn/contracts';
import type { EcgParameters, EcgRecord, QtcFormula } from '@aicrn/signal';
import { AttentionExplanation, buildAttentionExplanation } from '../explain/attention-explanation';
import { prepareInput, PreparedInput } from '../preprocessing/prepare-input';
import { ModelRuntime } from '../runtime/model-runtime';
import { BatcherMetrics } from './micro-batcher';
import { createBatchedPredictor } from './batched-predictor';
import { measureDelineated } from './delineated-measurement';
import { attentionSpans, mapTargets } from './output-mapping';
import { Scheduler } from './scheduler';

export type AicrnWindowResult =
  | {
      window_id: string;
      status: 'measured';
      parameters: EcgParameters;
      unmeasured: Unmeasured[];
      /** The beats the network delineated (a model with a delineation output); empty otherwise. */
      beats: BeatFiducials[];
      attention: AttentionSpan[];
      model_version: string;
      /** Leads computed from others, e.g. "I = II - III". */
      derived_leads: string[];
    }
  /** The network cannot take this window (e.g. no chest leads): measure it with the classical method. */
  | { window_id: string; status: 'not_eligible'; code: string; reason: string }
  /** The window's data is unusable (NaN, flat lead, wrong length, unsupported rate). */
  | { window_id: string; status: 'rejected'; code: string; reason: string }
  /** The model failed on the batch (e.g. a worker crashed); the window itself may be fine. */
  | { window_id: string; status: 'failed'; code: 'inference_error'; reason: string };

export interface AicrnMeasurerOptions {
  /** The model: an in-thread runtime or a worker pool. */
  runtime: ModelRuntime;
  maxBatchSize?: number;
  maxQueueDelayMs?: number;
  maxQueueSize?: number;
  /** Batches in flight at once; set to the worker count. Default 1. */
  maxConcurrentBatches?: number;
  qtcFormula?: QtcFormula;
  attentionSpanCount?: number;
  minSourceRateHz?: number;
  /** Random-initialised models produce numbers, not measurements; only benchmarks and tests may use them. */
  allowUntrained?: boolean;
  scheduler?: Scheduler;
  metrics?: BatcherMetrics;
}

/**
 * Measures windows with AICRN: preprocess (leads, resampling, scaling) -> micro-batched network ->
 * de-standardised parameters, QTc and attention spans. Never throws for bad windows: every window
 * gets a result with a status and reason.
 */
export class AicrnMeasurer {
  private readonly batcher;
  private readonly runtime: ModelRuntime;

  constructor(private readonly options: AicrnMeasurerOptions) {
    this.runtime = options.runtime;
    const { metadata } = this.runtime;
    if (metadata.standardisation === null && !options.allowUntrained) {
      throw new Error(`model ${metadata.model_version} is untrained (no output standardisation): its outputs are not measurements`);
    }
    this.batcher = createBatchedPredictor(this.runtime, {
      maxBatchSize: options.maxBatchSize ?? 16,
      maxQueueDelayMs: options.maxQueueDelayMs ?? 20,
      maxQueueSize: options.maxQueueSize ?? 64,
      maxConcurrentBatches: options.maxConcurrentBatches ?? 1,
      scheduler: options.scheduler,
      metrics: options.metrics,
    });
  }

  get modelVersion(): string {
    return this.runtime.metadata.model_version;
  }

  /** Windows waiting for a batch (not yet running): a consumer can pause above a threshold. */
  get queueDepth(): number {
    return this.batcher.queueDepth;
  }

  /** Resolves when the internal queue has room again. */
  whenRoom(): Promise<void> {
    return this.batcher.whenRoom();
  }

  measureWindows(windows: ValidatedWindow[]): Promise<AicrnWindowResult[]> {
    return this.measureAll(windows.map((w) => ({ id: w.window_id, source: w })));
  }

  measureRecords(records: Array<{ id: string; record: EcgRecord }>): Promise<AicrnWindowResult[]> {
    return this.measureAll(records.map((r) => ({ id: r.id, source: r.record })));
  }

  /**
   * Measures one window and keeps what the network saw and its whole attention map, for a picture of
   * where it looked. The explanation is null when the window was not measured (the result says why).
   */
  async explain(id: string, source: ValidatedWindow | EcgRecord): Promise<{ result: AicrnWindowResult; explanation: AttentionExplanation | null }> {
    const prepared = this.prepare(source);
    const { result, attention } = await this.run(id, prepared);
    if (result.status !== 'measured' || prepared.status !== 'ready' || !attention) return { result, explanation: null };
    const { metadata } = this.runtime;
    const explanation = buildAttentionExplanation({
      input: prepared.input,
      inputDivisor: metadata.input_divisor,
      config: metadata.config,
      modelVersion: metadata.model_version,
      attention,
      spans: result.attention,
      parameters: result.parameters,
      derivedLeads: result.derived_leads,
    });
    return { result, explanation };
  }

  async close(): Promise<void> {
    await this.batcher.close();
  }

  /** Prepares every window first, then submits them together, so they share batches. */
  private measureAll(items: Array<{ id: string; source: ValidatedWindow | EcgRecord }>): Promise<AicrnWindowResult[]> {
    const prepared = items.map((item) => ({ id: item.id, prepared: this.prepare(item.source) }));
    return Promise.all(prepared.map(({ id, prepared }) => this.infer(id, prepared)));
  }

  private prepare(source: ValidatedWindow | EcgRecord): PreparedInput | { status: 'rejected'; code: string; reason: string } {
    const { metadata } = this.runtime;
    try {
      return prepareInput(source, metadata.config, { inputDivisor: metadata.input_divisor, minSourceRateHz: this.options.minSourceRateHz });
    } catch (error) {
      return { status: 'rejected', code: 'malformed_window', reason: (error as Error).message };
    }
  }

  private async infer(windowId: string, prepared: PreparedInput | { status: 'rejected'; code: string; reason: string }): Promise<AicrnWindowResult> {
    return (await this.run(windowId, prepared)).result;
  }

  /** One window through the network: its result, and the raw attention map when the network ran. */
  private async run(windowId: string, prepared: PreparedInput | { status: 'rejected'; code: string; reason: string }): Promise<{ result: AicrnWindowResult; attention?: Float32Array }> {
    const { metadata } = this.runtime;
    if (prepared.status !== 'ready') return { result: { window_id: windowId, status: prepared.status, code: prepared.code, reason: prepared.reason } };
    let output;
    try {
      output = await this.batcher.submit(prepared.input);
    } catch (error) {
      return { result: { window_id: windowId, status: 'failed', code: 'inference_error', reason: (error as Error).message } };
    }
    const { parameters, unmeasured, beats } = output.delineation
      ? measureDelineated(output.delineation, prepared.input, metadata.config, metadata.input_divisor, this.options.qtcFormula)
      : { ...mapTargets(output.targets, metadata.config.targets, metadata.standardisation, metadata.model_version, this.options.qtcFormula), beats: [] };
    const result: AicrnWindowResult = {
      window_id: windowId,
      status: 'measured',
      parameters,
      unmeasured,
      beats,
      attention: attentionSpans(output.attention, metadata.config, { count: this.options.attentionSpanCount ?? 3 }),
      model_version: metadata.model_version,
      derived_leads: prepared.derivedLeads,
    };
    return { result, attention: output.attention };
  }
}
