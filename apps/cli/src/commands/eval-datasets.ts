import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetSplit, LabeledWindow, listLudbRecords, ludbWindows, ptbxlWindows, syntheticWindows } from '@aicrn/signal';
import { BadInputError } from './bad-input';

export const EVAL_DATASETS = ['ludb', 'ptbxl', 'synthetic'] as const;
export type EvalDataset = (typeof EVAL_DATASETS)[number];

export interface EvalSourceOptions {
  dataset: string;
  dir?: string;
  /** Record ids (LUDB) to keep, from --records "1-80" or "3,5,9". */
  records?: number[];
  /** Windows to take: synthetic windows to generate (default 200), at most this many PTB-XL records (default all). */
  count?: number;
  seed: number;
  /** PTB-XL+ root (features/12sl_features.csv) for the PTB-XL labels. */
  ptbxlPlusDir?: string;
  /** PTB-XL split by strat_fold: train 1-8, val 9, test 10 (default), or all. */
  split?: string;
}

const SPLITS = ['train', 'val', 'test', 'all'] as const;
const DEFAULT_SYNTHETIC_COUNT = 200;

/** A dataset ready to iterate, with its size when known (for the progress bar). */
export interface EvalSource {
  total: number | null;
  windows: AsyncIterable<LabeledWindow> | Iterable<LabeledWindow>;
}

/** The labelled windows of a dataset; unknown datasets and missing directories are bad input. */
export function openEvalSource(options: EvalSourceOptions): EvalSource {
  switch (options.dataset) {
    case 'ludb': {
      if (!options.dir) throw new BadInputError('--dir is required for --dataset ludb (the LUDB directory with <id>.hea files)');
      const available = listLudbRecords(options.dir);
      if (available.length === 0) throw new BadInputError(`no LUDB records (<id>.hea) in ${options.dir}`);
      const chosen = options.records ? available.filter((id) => options.records!.includes(id)) : available;
      if (chosen.length === 0) throw new BadInputError(`none of the requested records is in ${options.dir}`);
      return { total: chosen.length, windows: ludbWindows(options.dir, { records: chosen }) };
    }
    case 'synthetic': {
      const count = options.count ?? DEFAULT_SYNTHETIC_COUNT;
      return { total: count, windows: syntheticWindows({ seed: options.seed, count, split: 'test' }) };
    }
    case 'ptbxl': {
      if (!options.dir) throw new BadInputError('--dir is required for --dataset ptbxl (the PTB-XL root with ptbxl_database.csv)');
      if (!existsSync(join(options.dir, 'ptbxl_database.csv'))) throw new BadInputError(`${join(options.dir, 'ptbxl_database.csv')}: file not found (--dir must be the PTB-XL root)`);
      if (!options.ptbxlPlusDir) throw new BadInputError('--ptbxl-plus is required for --dataset ptbxl (the PTB-XL+ root with features/12sl_features.csv)');
      const featuresPath = join(options.ptbxlPlusDir, 'features', '12sl_features.csv');
      if (!existsSync(featuresPath)) throw new BadInputError(`${featuresPath}: file not found (--ptbxl-plus must be the PTB-XL+ root)`);
      const split = options.split ?? 'test';
      if (!(SPLITS as readonly string[]).includes(split)) throw new BadInputError(`unknown split "${split}" (options: ${SPLITS.join(', ')})`);
      return {
        total: options.count ?? null,
        windows: ptbxlWindows({ ptbxlDir: options.dir, featuresPath, split: split as DatasetSplit | 'all', limit: options.count }),
      };
    }
    default:
      throw new BadInputError(`unknown dataset "${options.dataset}" (options: ${EVAL_DATASETS.join(', ')})`);
  }
}

/** Parses "1-80", "3,5,9" or "1-10,20" into record ids. */
export function parseRecordList(text: string): number[] {
  const ids: number[] = [];
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) throw new BadInputError(`--records "${text}" is not a list of ids or ranges like 1-80 or 3,5,9`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw new BadInputError(`--records range ${part.trim()} runs backwards`);
    for (let id = from; id <= to; id++) ids.push(id);
  }
  return ids;
}
