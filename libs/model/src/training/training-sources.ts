import {
  EcgRecord,
  generateWindow,
  LabeledWindow,
  loadLudbRecord,
  LudbRecord,
  ludbReference,
  MAX_LUDB_STRETCH,
  mixSeed,
  PtbxlWindowOptions,
  ptbxlWindows,
  randomSpec,
  Rng,
  syntheticWindowSeed,
  DatasetSplit,
  stretchLudbRecord,
  drawLudbWarp,
  ludbCycles,
  LudbCycles,
  warpLudbRecord,
  drawFibrillation,
  fibrillateLudbRecord,
} from '@aicrn/signal';
import { AicrnConfig } from '../config';
import { TrainingSample, toTrainingSample } from './training-sample';

/** Where training windows come from. Synthetic and LUDB are indexed (window k is the same on every run, so resume continues the stream). */
export type TrainingSourceSpec =
  | {
      kind: 'synthetic';
      seed: number;
      split: DatasetSplit;
      populationShare?: number;
      /** false: no wave classes from these windows (the generator's boundaries follow its own convention, not the cardiologists'). */
      waveLabels?: boolean;
    }
  | {
      kind: 'ludb';
      dir: string;
      records: readonly number[];
      seed: number;
      augment: boolean;
      /** Share of augmented draws rebuilt from the record's beats with each part of a beat warped on its own (warpLudbRecord); default 0. */
      warpShare?: number;
      /** Share of the warped draws turned into atrial fibrillation (irregular RR, f-waves, no P: fibrillateLudbRecord); default 0. */
      fibrillationShare?: number;
      /** Share of augmented draws with some leads' polarity inverted (invertLeads); default 0. */
      polarityShare?: number;
    }
  | { kind: 'ptbxl'; options: PtbxlWindowOptions; shuffleBuffer?: number; seed: number }
  | { kind: 'mixed'; seed: number; parts: Array<{ weight: number; source: TrainingSourceSpec }> };

/** An endless stream of preprocessed samples. */
export interface TrainingStream {
  next(): Promise<TrainingSample>;
  /** Windows the network cannot take (reason kept for the log), skipped rather than fed. */
  readonly skipped: string[];
}

type IndexedSource = (index: number) => Promise<TrainingSample | { skipped: string }>;

const LUDB_INDEPENDENT = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

/** Opens a stream positioned at window `startIndex` (indexed sources) or at a fresh pass (PTB-XL). */
export function openTrainingStream(spec: TrainingSourceSpec, config: AicrnConfig, inputDivisor: number, startIndex = 0): TrainingStream {
  const skipped: string[] = [];
  if (spec.kind === 'ptbxl') return ptbxlStream(spec, config, inputDivisor, skipped);
  const sampleAt = indexedSource(spec, config, inputDivisor);
  let index = startIndex;
  return {
    skipped,
    async next() {
      // A stream that yields nothing usable would spin forever: give up after many consecutive skips.
      for (let attempt = 0; attempt < 1000; attempt++) {
        const result = await sampleAt(index++);
        if (!('skipped' in result)) return result;
        if (skipped.length < 1000) skipped.push(result.skipped);
      }
      throw new Error(`training source ${spec.kind}: 1000 consecutive windows unusable; last: ${skipped[skipped.length - 1]}`);
    },
  };
}

function indexedSource(spec: Exclude<TrainingSourceSpec, { kind: 'ptbxl' }>, config: AicrnConfig, inputDivisor: number): IndexedSource {
  switch (spec.kind) {
    case 'synthetic':
      return async (index) => {
        const window = syntheticWindowAt(spec.seed, spec.split, index, spec.populationShare);
        return toTrainingSample(spec.waveLabels === false ? { source: window.source, record: window.record, labels: window.labels } : window, config, inputDivisor);
      };
    case 'ludb': {
      const records = loadLudbRecords(spec.dir, spec.records);
      const cycles = new Map<number, LudbCycles | null>();
      const cyclesOf = (ludb: LudbRecord) => {
        if (!cycles.has(ludb.id)) cycles.set(ludb.id, ludbCycles(ludbReference(ludb).beats, ludb.record.sampleRateHz));
        return cycles.get(ludb.id)!;
      };
      const warpShare = spec.augment ? (spec.warpShare ?? 0) : 0;
      return async (index) => {
        const rng = new Rng(mixSeed(spec.seed, index, 0x1d0b));
        const ludb = records[rng.int(0, records.length - 1)];
        // The warp draws from its own generator, so the draws of a share-0 stream are the ones it always had.
        const warpRng = new Rng(mixSeed(spec.seed, index, 0x3a7b));
        const recordCycles = warpShare > 0 && warpRng.chance(warpShare) ? cyclesOf(ludb) : null;
        // Fibrillation too: a share-0 stream draws exactly the warps it always had.
        const afRng = new Rng(mixSeed(spec.seed, index, 0xaf1b));
        const fibrillate = recordCycles !== null && (spec.fibrillationShare ?? 0) > 0 && afRng.chance(spec.fibrillationShare!);
        const warp = recordCycles ? drawLudbWarp(recordCycles, warpRng) : null;
        const warpedBeats = warp ? warpLudbRecord(ludb, fibrillate ? { ...warp, tpJitter: afRng.uniform(AF_RR_JITTER[0], AF_RR_JITTER[1]) } : warp, warpRng) : null;
        const warped = warpedBeats && fibrillate ? fibrillateLudbRecord(warpedBeats, drawFibrillation(afRng)) : warpedBeats;
        const stretched = !warped && spec.augment && rng.chance(LUDB_STRETCH_PROBABILITY) ? stretchLudbRecord(ludb, rng.uniform(1, MAX_LUDB_STRETCH), rng.next()) : null;
        const base = labelledLudbWindow(warped ?? stretched ?? ludb);
        // Its own generator again: a share-0 stream is the one it always was.
        const polarityRng = new Rng(mixSeed(spec.seed, index, 0x9e1f));
        const inverted = spec.augment && (spec.polarityShare ?? 0) > 0 && polarityRng.chance(spec.polarityShare!) ? invertLeads(base, polarityRng) : base;
        return toTrainingSample(spec.augment ? augmentWindow(inverted, rng) : inverted, config, inputDivisor);
      };
    }
    case 'mixed': {
      if (spec.parts.length === 0) throw new Error('mixed training source needs at least one part');
      if (spec.parts.some((p) => !(p.weight > 0))) throw new Error('mixed training source weights must be positive');
      if (spec.parts.some((p) => p.source.kind === 'ptbxl')) throw new Error('mixed training sources take synthetic and LUDB parts (PTB-XL streams sequentially; train on it alone)');
      const parts = spec.parts.map((p) => ({ weight: p.weight, sampleAt: indexedSource(p.source as Exclude<TrainingSourceSpec, { kind: 'ptbxl' }>, config, inputDivisor) }));
      const total = parts.reduce((a, p) => a + p.weight, 0);
      return async (index) => {
        let u = new Rng(mixSeed(spec.seed, index, 0x3a1)).next() * total;
        const part = parts.find((p) => (u -= p.weight) < 0) ?? parts[parts.length - 1];
        return part.sampleAt(index);
      };
    }
  }
}

/**
 * The index-th synthetic window of a split: a random spec over the clinical ranges with realistic electrode noise,
 * a populationShare of them with adult resting intervals (randomSpec).
 */
export function syntheticWindowAt(seed: number, split: DatasetSplit, index: number, populationShare = 0): LabeledWindow {
  const windowSeed = syntheticWindowSeed(seed, split, index);
  const spec = randomSpec(new Rng(mixSeed(windowSeed, 0x59ec)), { populationShare });
  return generateWindow(spec, windowSeed, `synthetic/${split}/seed-${seed}/${index}`);
}

/**
 * Share of augmented LUDB draws that are slowed down (labels re-derived from the moved annotations). Eighty
 * records overfit within a few thousand steps (session-2 candidate: QT MAE 6.5 ms on them, 21 ms on held-out
 * records); a continuum of rates and window positions is the label-exact way to widen them.
 */
const LUDB_STRETCH_PROBABILITY = 0.6;

/** Beat-to-beat spread of the diastole of a fibrillating draw: AF's irregularly irregular RR (about +-10-18 % at rest). */
const AF_RR_JITTER = [0.25, 0.45] as const;

/** LUDB records with their annotations. LUDB is 200 windows in all, so the chosen records are held in memory (a few MB). */
export function loadLudbRecords(dir: string, records: readonly number[]): LudbRecord[] {
  if (records.length === 0) throw new Error('LUDB training source needs at least one record');
  return records.map((id) => loadLudbRecord(dir, id));
}

/** A LUDB record with its interval labels. Amplitude labels stay null: LUDB 1.0.1 scales each lead to 1 mV peak-to-peak. */
export function labelledLudbWindow(ludb: LudbRecord): LabeledWindow {
  const { parameters, beats, leadBeats } = ludbReference(ludb);
  return { source: ludb.source, record: ludb.record, labels: { ...parameters, r_amp_mv: null, t_amp_mv: null }, beats, leadBeats: Object.fromEntries(leadBeats) };
}

/**
 * Label-preserving augmentation for interval targets: a gain for all leads (0.7-1.4) times a per-lead one (0.85-1.15;
 * LUDB scales each lead to 1 mV peak-to-peak, so relative lead sizes are not physical anyway), and with probability
 * 0.3 each, respiratory baseline wander (0.05-0.4 mV), white EMG-like noise (5-40 uV RMS) and 50/60 Hz mains
 * (10-80 uV). None of them moves a wave boundary, so labels and beats carry over.
 */
export function augmentWindow(window: LabeledWindow, rng: Rng): LabeledWindow {
  const gain = rng.uniform(0.7, 1.4);
  const fs = window.record.sampleRateHz;
  const wander = rng.chance(0.3) ? { mv: rng.uniform(0.05, 0.4), hz: rng.uniform(0.12, 0.5) } : null;
  const emgMv = rng.chance(0.3) ? rng.uniform(0.005, 0.04) : 0;
  const mains = rng.chance(0.3) ? { mv: rng.uniform(0.01, 0.08), hz: rng.chance(0.5) ? 50 : 60 } : null;
  const leads = window.record.leads
    .filter((l) => LUDB_INDEPENDENT.includes(l.name.toUpperCase()))
    .map((l) => {
      const phase = rng.uniform(0, 2 * Math.PI);
      const leadGain = gain * rng.uniform(0.85, 1.15);
      const mv = new Float32Array(l.mv.length);
      for (let i = 0; i < mv.length; i++) {
        const t = i / fs;
        let v = l.mv[i] * leadGain;
        if (wander) v += wander.mv * Math.sin(2 * Math.PI * wander.hz * t + phase);
        if (mains) v += mains.mv * Math.sin(2 * Math.PI * mains.hz * t + phase);
        if (emgMv > 0) v += rng.gaussian(0, emgMv);
        mv[i] = v;
      }
      return { name: l.name, mv };
    });
  const record: EcgRecord = { sampleRateHz: fs, leads };
  return { source: window.source, record, labels: window.labels, beats: window.beats, leadBeats: window.leadBeats };
}

/**
 * A label-exact change of morphology: a lead with its sign inverted has its waves where they were, so every boundary
 * and interval label stays. Each chest lead is inverted with probability 1/2, and the limb leads I and II together with
 * probability 1/2 (III, aVR, aVL and aVF, which the network derives from them, then invert too, as their annotations
 * allow). The 80 training records' QRS shapes are what the network learned to delineate; upright V1 or negative V5
 * complexes are rare among them and common in conduction disorders. At least one lead is inverted.
 */
export function invertLeads(window: LabeledWindow, rng: Rng): LabeledWindow {
  const chest = new Set(['V1', 'V2', 'V3', 'V4', 'V5', 'V6'].filter(() => rng.chance(0.5)));
  const limbs = rng.chance(0.5) || chest.size === 0;
  const limbLeads = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF'];
  const leads = window.record.leads.map((lead) => {
    const name = lead.name.toUpperCase();
    const invert = chest.has(name) || (limbs && limbLeads.includes(name));
    return invert ? { name: lead.name, mv: lead.mv.map((v) => -v) } : lead;
  });
  return { ...window, source: `${window.source}/inverted`, record: { sampleRateHz: window.record.sampleRateHz, leads } };
}

function ptbxlStream(spec: Extract<TrainingSourceSpec, { kind: 'ptbxl' }>, config: AicrnConfig, inputDivisor: number, skipped: string[]): TrainingStream {
  // Records are read one at a time; a bounded shuffle buffer decorrelates neighbouring records without loading the set.
  const bufferSize = spec.shuffleBuffer ?? 256;
  const rng = new Rng(mixSeed(spec.seed, 0x97b));
  const buffer: TrainingSample[] = [];
  let iterator: AsyncIterator<LabeledWindow> | null = null;
  let passYielded = 0;
  const pull = async (): Promise<TrainingSample | null> => {
    for (;;) {
      if (!iterator) {
        iterator = ptbxlWindows({ ...spec.options, split: spec.options.split ?? 'train' })[Symbol.asyncIterator]();
        passYielded = 0;
      }
      const { value, done } = await iterator.next();
      if (done) {
        iterator = null;
        if (passYielded === 0) return null;
        continue;
      }
      const sample = toTrainingSample(value, config, inputDivisor);
      if ('skipped' in sample) {
        if (skipped.length < 1000) skipped.push(sample.skipped);
        continue;
      }
      if (!config.targets.some((t) => sample.labels[t] !== null)) continue;
      passYielded++;
      return sample;
    }
  };
  return {
    skipped,
    async next() {
      while (buffer.length < bufferSize) {
        const sample = await pull();
        if (!sample) break;
        buffer.push(sample);
      }
      if (buffer.length === 0) throw new Error('PTB-XL training source yielded no usable labelled window');
      const i = rng.int(0, buffer.length - 1);
      const [sample] = buffer.splice(i, 1);
      return sample;
    },
  };
}

/** A fixed list of samples (validation sets), skipping and reporting unusable windows. */
export async function materialiseSamples(
  windows: AsyncIterable<LabeledWindow> | Iterable<LabeledWindow>,
  config: AicrnConfig,
  inputDivisor: number,
): Promise<{ samples: TrainingSample[]; skipped: string[] }> {
  const samples: TrainingSample[] = [];
  const skipped: string[] = [];
  for await (const window of windows) {
    const s = toTrainingSample(window, config, inputDivisor);
    if ('skipped' in s) skipped.push(s.skipped);
    else samples.push(s);
  }
  return { samples, skipped };
}
