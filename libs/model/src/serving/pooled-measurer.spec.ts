import { LeadName, millivoltsToLead, ValidatedWindow } from '@aicrn/contracts';
import { buildAicrnModel } from '../aicrn-model';
import { modelArtifactsOf } from '../io/fs-io-handler';
import { AicrnModelMetadata, METADATA_KEY } from '../model-metadata';
import { TINY_CONFIG } from '../test-configs';
import { startPooledMeasurer } from './pooled-measurer';

const LEADS: LeadName[] = ['I', 'II', 'III', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

function windowOf(seq: number): ValidatedWindow {
  const rate = 250;
  const n = rate * TINY_CONFIG.windowSeconds;
  return {
    window_id: `bed:dev:${seq}`,
    received_ms: 0,
    quality: { score: 1, reasons: [], leads: [] },
    window: {
      bed_id: 'bed',
      device_id: 'dev',
      seq,
      start_ms: 0,
      sample_rate_hz: rate,
      leads: LEADS.map((name, k) => ({ ...millivoltsToLead(name, Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * (1 + k + seq) * i) / rate)), 1000), name })),
    },
  };
}

describe('startPooledMeasurer (real workers, tiny model)', () => {
  it('measures windows end to end through the batcher and two workers', async () => {
    const model = buildAicrnModel(TINY_CONFIG, { seed: 2 });
    const metadata: AicrnModelMetadata = {
      model_version: 'aicrn-tiny/e2e',
      config: TINY_CONFIG,
      // A wide std keeps the random network's outputs inside the plausible ranges.
      standardisation: { hr_bpm: { mean: 70, std: 1 }, qt_ms: { mean: 400, std: 1 } },
      input_divisor: 6,
      training: { dataset: 'none (test)', finished_at: '2026-01-01' },
    };
    model.setUserDefinedMetadata({ [METADATA_KEY]: metadata });
    const artifacts = await modelArtifactsOf(model);
    const service = await startPooledMeasurer({ source: { kind: 'artifacts', artifacts }, size: 2, backend: 'wasm' }, { maxBatchSize: 3, maxQueueDelayMs: 2 });
    try {
      expect(service.pool.size).toBe(2);
      const results = await service.measurer.measureWindows([1, 2, 3, 4, 5, 6, 7].map(windowOf));
      expect(results).toHaveLength(7);
      for (const r of results) {
        if (r.status !== 'measured') throw new Error(`${r.status}: ${r.reason}`);
        expect(r.model_version).toBe('aicrn-tiny/e2e');
        expect(r.parameters.hr_bpm).toBeGreaterThan(60);
        expect(r.parameters.qt_ms).toBeGreaterThan(390);
        expect(r.parameters.qtc_ms).not.toBeNull();
        expect(r.derived_leads).toEqual([]);
      }
      // Different inputs give different outputs (the network really ran per window).
      expect(new Set(results.map((r) => (r.status === 'measured' ? r.parameters.qt_ms : null))).size).toBeGreaterThan(1);
    } finally {
      await service.close();
    }
  });
});
