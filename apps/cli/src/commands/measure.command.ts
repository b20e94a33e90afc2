import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { renderAttentionPng } from '@aicrn/model';
import { assessSignalQuality, EcgParameters, readWfdbRecord, recordWindows, selectMeasurer } from '@aicrn/signal';
import { BadInputError, reportBadInput } from './bad-input';
import { attributionOf, availableMeasurers, chooseMethod, CliMeasurer, MeasurerSelection } from './measurement-methods';

/** One output line of `aicrn measure`. */
export interface MeasureLine extends EcgParameters {
  source: string;
  window_start_s: number;
  quality: number | null;
  /** The method that measured this window: aicrn, or dsp (asked for, or the fallback of aicrn). */
  method: string;
  /** Its model or algorithm version. */
  model: string;
  /** Why the network did not measure this window when aicrn fell back to dsp; else null. */
  fallback_reason: string | null;
}

export interface MeasureOptions {
  /** Default: aicrn with --model, else dsp. */
  method?: string;
  model?: string;
  json?: boolean;
  windowS?: number;
  /** PNG path: the first window of the first file with the network's attention under each lead. */
  explain?: string;
}

const COLUMNS: readonly (keyof EcgParameters)[] = ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'qtc_ms', 'r_amp_mv', 't_amp_mv'];

/** `aicrn measure <file.hea...>`: one measurement per 10-s window of each WFDB record. */
export function registerMeasureCommand(program: Command, measurers: (selection: MeasurerSelection) => CliMeasurer[] = availableMeasurers): void {
  program
    .command('measure')
    .description('measure HR, PR, QRS, QT, QTc and V5 R/T amplitudes in every 10-s window of WFDB records; each line says which method measured it')
    .argument('<files...>', 'WFDB header files (.hea; formats 16 and 212)')
    .option('--method <method>', `measurement method (${measurers({}).map((m) => m.method).join(', ')}; default: aicrn with --model, else dsp)`)
    .option('--model <dir>', 'trained AICRN model directory (model.json with training metadata, as `aicrn train --out` writes); overrides MODEL_DIR')
    .option('--json', 'one JSON line per window on stdout')
    .option('--explain <file.png>', "draw the FIRST window of the first file: leads I, II, V1-V6 as the network read them, the network's spatial attention as a heat band under each, and its measurements (implies --method aicrn; needs a model and a first window with chest leads)")
    .action(async (files: string[], options: MeasureOptions) => {
      // Every line names the method that measured its window, so a fallback needs no extra note on stderr.
      await runMeasure(files, options, measurers({ modelDir: options.model, onFallback: () => undefined }), process.stdout, process.stderr);
    });
}

/** The command body, callable from tests: writes lines to `out`, problems to `err`, sets process.exitCode. */
export async function runMeasure(files: string[], options: MeasureOptions, measurers: CliMeasurer[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
  let measurer: CliMeasurer | undefined;
  try {
    // Only the network has attention to draw, so --explain alone means the aicrn method.
    const method = chooseMethod(options.explain !== undefined && options.method === undefined ? { ...options, method: 'aicrn' } : options);
    measurer = selectMeasurer(method, measurers);
    // A bad model fails here, once, before any output.
    await measurer.open?.();
    // So does an explanation that cannot be drawn: the user asked for a picture, not only numbers.
    if (options.explain !== undefined) await writeExplanation(files[0], options.explain, measurer, options.windowS ?? 10, err);
  } catch (error) {
    await measurer?.close?.();
    reportBadInput('measure', error, err);
    return;
  }
  const windowS = options.windowS ?? 10;
  // A closed stdout (e.g. piped into `head`) ends the run quietly instead of crashing on EPIPE.
  let closed = false;
  const onOutputError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  };
  out.on('error', onOutputError);
  try {
    await measureFiles(files, options, measurer, windowS, out, err, () => closed);
  } finally {
    out.removeListener('error', onOutputError);
    await measurer.close?.();
  }
}

/** Draws the first window of `file` with the network's attention into `png`; a window it cannot explain is bad input. */
async function writeExplanation(file: string, png: string, measurer: CliMeasurer, windowS: number, err: NodeJS.WritableStream): Promise<void> {
  if (!measurer.explain) throw new BadInputError(`--explain draws the network's attention, but the method is ${measurer.method}; use --method aicrn (or --model DIR)`);
  const { record } = readWfdbRecord(file);
  const [first] = recordWindows(record, windowS);
  if (!first) throw new BadInputError(`--explain: ${file} is shorter than one ${windowS}-s window; nothing to draw`);
  let explanation;
  try {
    explanation = await measurer.explain(first.record);
  } catch (error) {
    if (error instanceof BadInputError) throw new BadInputError(`--explain: ${file} at ${first.startS} s: ${error.message}`);
    throw error;
  }
  const image = renderAttentionPng(explanation, { source: `${file}  ${first.startS}-${first.startS + windowS} S` });
  try {
    writeFileSync(png, image);
  } catch (error) {
    throw new BadInputError(`--explain: cannot write ${png}: ${(error as Error).message}`);
  }
  err.write(`explanation written to ${png}\n`);
}

async function measureFiles(
  files: string[],
  options: MeasureOptions,
  measurer: CliMeasurer,
  windowS: number,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  isClosed: () => boolean,
): Promise<void> {
  if (!options.json) out.write(`${tableHeader()}\n`);
  let qualityWarned = false;
  for (const file of files) {
    try {
      const { record } = readWfdbRecord(file);
      const total = (record.leads[0]?.mv.length ?? 0) / record.sampleRateHz;
      if (total < windowS) err.write(`aicrn measure: ${file}: lasts ${total.toFixed(2)} s, shorter than one ${windowS}-s window; nothing measured\n`);
      for (const window of recordWindows(record, windowS)) {
        const measurement = await measurer.measure(window.record);
        let quality: number | null = null;
        try {
          quality = assessSignalQuality(window.record).score;
        } catch (error) {
          if (!qualityWarned) err.write(`aicrn measure: quality not assessed (${(error as Error).message})\n`);
          qualityWarned = true;
        }
        const { method, version, fallbackReason } = attributionOf(measurer, measurement);
        const line: MeasureLine = { source: file, window_start_s: window.startS, ...measurement.parameters, quality, method, model: version, fallback_reason: fallbackReason };
        out.write(`${options.json ? JSON.stringify(roundLine(line)) : tableRow(line)}\n`);
        // Give a pending EPIPE a chance to arrive before the next window.
        await new Promise((resolve) => setImmediate(resolve));
        if (isClosed()) return;
      }
    } catch (error) {
      reportBadInput('measure', error, err);
    }
  }
}

function roundLine(line: MeasureLine): MeasureLine {
  const rounded = { ...line };
  for (const key of COLUMNS) {
    const value = line[key];
    rounded[key] = value === null ? null : Math.round(value * (key.endsWith('_mv') ? 1000 : 10)) / (key.endsWith('_mv') ? 1000 : 10);
  }
  return rounded;
}

function tableHeader(): string {
  return ['source'.padEnd(28), 'start_s'.padStart(8), ...COLUMNS.map((c) => c.padStart(9)), 'quality'.padStart(8), ' method'].join(' ');
}

/** e.g. "aicrn (aicrn-serving/2026-11-25-seed-7)", or "dsp (dsp-1.2.0): AICRN not eligible (missing_chest_leads): ..." */
function methodCell(line: MeasureLine): string {
  const used = `${line.method} (${line.model})`;
  return line.fallback_reason === null ? used : `${used}: ${line.fallback_reason}`;
}

function tableRow(line: MeasureLine): string {
  const cell = (value: number | null, digits: number): string => (value === null ? '-' : value.toFixed(digits));
  const source = line.source.length > 28 ? `...${line.source.slice(-25)}` : line.source;
  return [
    source.padEnd(28),
    line.window_start_s.toFixed(1).padStart(8),
    ...COLUMNS.map((c) => cell(line[c], c.endsWith('_mv') ? 3 : 0).padStart(9)),
    cell(line.quality, 2).padStart(8),
    ` ${methodCell(line)}`,
  ].join(' ');
}
