import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { PNG } from 'pngjs';
import { AicrnConfig, buildAicrnModel, saveAicrnModel, untrainedMetadata } from '@aicrn/model';
import { DSP_VERSION, dspMeasurer, readWfdbRecord, WindowMeasurer } from '@aicrn/signal';
import { TINY_CONFIG } from '../../../../libs/model/src/test-configs';
import { registerBenchDspCommand } from './bench-dsp.command';
import { formatReport, registerEvalCommand, runEval } from './eval.command';
import { registerMeasureCommand } from './measure.command';
import { AttributedMeasurement } from './measurement-methods';

const LUDB = '/work/shared/data/ludb/data';

/** The first 30 s of MIT-BIH record 100 (leads MLII and V5, 360 Hz) as its own record in `dir`. */
function writeMitdb100Head(dir: string): string {
  const { adu } = readWfdbRecord('/work/shared/data/mitdb/100.hea');
  const checksum = (samples: Int16Array): number => (samples.subarray(0, 10800).reduce((sum, v) => (sum + v) | 0, 0) << 16) >> 16;
  const lines = readFileSync('/work/shared/data/mitdb/100.hea', 'utf8').replace('650000', '10800').split('\n');
  let signal = 0;
  const header = lines.map((line) => (line.startsWith('100.dat') ? line.replace(/ -?\d+ 0 (MLII|V5)\s*$/, ` ${checksum(adu[signal++])} 0 $1`) : line));
  writeFileSync(join(dir, '100.hea'), header.join('\n'));
  copyFileSync('/work/shared/data/mitdb/100.dat', join(dir, '100.dat'));
  return join(dir, '100.hea');
}

/** Runs the CLI in-process with the three commands and captures stdout, stderr and the exit code. */
async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('aicrn').exitOverride();
  registerMeasureCommand(program);
  registerEvalCommand(program);
  registerBenchDspCommand(program);
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'aicrn', ...args]);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code !== 'number') throw error;
    process.exitCode = code;
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, err, code };
}

describe('aicrn measure', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aicrn-measure-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per 10-s window with every field, null where unmeasurable', async () => {
    const { out, code, err } = await cli('measure', join(LUDB, '1.hea'), '--json');
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(Object.keys(lines[0]).sort()).toEqual(['fallback_reason', 'hr_bpm', 'method', 'model', 'pr_ms', 'qrs_ms', 'qt_ms', 'qtc_ms', 'quality', 'r_amp_mv', 'source', 't_amp_mv', 'window_start_s'].sort());
    expect(lines[0]).toMatchObject({ source: join(LUDB, '1.hea'), window_start_s: 0, method: 'dsp', model: DSP_VERSION, fallback_reason: null });
    expect(lines[0].hr_bpm).toBeGreaterThan(40);
    expect(lines[0].quality === null || (lines[0].quality >= 0 && lines[0].quality <= 1)).toBe(true);
    expect(err).not.toMatch(/error/i);
  });

  it('splits a long record into consecutive windows and prints a table without --json', async () => {
    const record = writeMitdb100Head(dir);
    const json = await cli('measure', record, '--json');
    expect(json.err).toBe('');
    const windows = json.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(windows.map((w) => w.window_start_s)).toEqual([0, 10, 20]);
    expect(windows.every((w) => w.r_amp_mv !== null && w.hr_bpm > 60 && w.hr_bpm < 90)).toBe(true);
    const table = await cli('measure', record);
    expect(table.out.split('\n')[0]).toMatch(/source\s+start_s\s+hr_bpm\s+pr_ms.*quality\s+method$/);
    expect(table.out.trim().split('\n')).toHaveLength(4);
    expect(table.out.trim().split('\n').slice(1).every((line) => line.endsWith(` dsp (${DSP_VERSION})`))).toBe(true);
  });

  it('exits 2 with a clear message for truncated, corrupt or unknown-format files, and keeps going', async () => {
    copyFileSync(join(LUDB, '2.hea'), join(dir, '2.hea'));
    writeFileSync(join(dir, '2.dat'), readFileSync(join(LUDB, '2.dat')).subarray(0, 1000));
    writeFileSync(join(dir, '3.hea'), readFileSync(join(LUDB, '3.hea'), 'utf8').replace(/ 16 /g, ' 311 '));
    const { out, err, code } = await cli('measure', join(dir, '2.hea'), join(dir, '3.hea'), join(LUDB, '1.hea'), '--json');
    expect(code).toBe(2);
    expect(err).toContain(`aicrn measure: ${join(dir, '2.dat')}: holds 1000 bytes`);
    expect(err).toContain('signal format 311 is not supported (supported: 16, 212)');
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on a sample rate the DSP cannot use and on an unknown method', async () => {
    writeFileSync(join(dir, '4.hea'), readFileSync(join(LUDB, '4.hea'), 'utf8').replace('4 12 500 5000', '4 12 50 5000'));
    copyFileSync(join(LUDB, '4.dat'), join(dir, '4.dat'));
    const slow = await cli('measure', join(dir, '4.hea'));
    expect(slow.code).toBe(2);
    expect(slow.err).toMatch(/sample rate 50 Hz is not usable/);
    const unknown = await cli('measure', join(LUDB, '1.hea'), '--method', 'magic');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown method "magic" (options: aicrn, consensus, dsp)');
  });
});

describe('aicrn eval', () => {
  it('scores LUDB records against the reference derivation and writes Bland-Altman plots', async () => {
    const plots = mkdtempSync(join(tmpdir(), 'aicrn-plots-'));
    try {
      const { out, code } = await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '1-12', '--json', '--plots', plots);
      expect(code).toBe(0);
      const report = JSON.parse(out);
      expect(report).toMatchObject({ dataset: 'ludb', method: 'dsp', windows: 12, interrupted: false, measured_by: [{ method: 'dsp', model: DSP_VERSION, windows: 12 }], fallbacks: [] });
      const qt = report.parameters.find((p: { parameter: string }) => p.parameter === 'qt_ms');
      expect(qt.n).toBe(12);
      expect(qt.mae).toBeLessThan(30);
      expect(report.parameters.find((p: { parameter: string }) => p.parameter === 'r_amp_mv').n).toBe(0);
      const png = PNG.sync.read(readFileSync(join(plots, 'bland-altman-qt_ms.png')));
      expect(png.width).toBe(640);
      expect(existsSync(join(plots, 'bland-altman-r_amp_mv.png'))).toBe(false);
    } finally {
      rmSync(plots, { recursive: true, force: true });
    }
  });

  it('writes one JSON line per window with the reference and the measurement, consistent with the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aicrn-windows-'));
    try {
      const file = join(dir, 'windows.jsonl');
      const { out, code } = await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '3-6', '--json', '--windows', file);
      expect(code).toBe(0);
      const rows = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(rows.map((r) => r.source)).toEqual(['ludb/3', 'ludb/4', 'ludb/5', 'ludb/6']);
      expect(rows.every((r) => r.method === 'dsp' && r.model === DSP_VERSION && r.failure === null)).toBe(true);
      const errors = rows.filter((r) => r.measured.qt_ms !== null && r.reference.qt_ms !== null).map((r) => Math.abs(r.measured.qt_ms - r.reference.qt_ms));
      const qt = JSON.parse(out).parameters.find((p: { parameter: string }) => p.parameter === 'qt_ms');
      expect(errors).toHaveLength(qt.n);
      expect(errors.reduce((a, e) => a + e, 0) / errors.length).toBeCloseTo(qt.mae, 6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a readable table', async () => {
    const { out } = await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '5');
    expect(out).toMatch(/^ludb: 1 windows, method dsp/);
    expect(out).toMatch(/qrs_ms\s+1\s+0\s+\d/);
  });

  it('evaluates the synthetic dataset', async () => {
    const { out, code } = await cli('eval', '--dataset', 'synthetic', '--count', '4', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).windows).toBe(4);
  });

  it('exits 2 on unknown datasets, missing directories, bad record lists and unwritable outputs', async () => {
    expect(await cli('eval', '--dataset', 'mimic', '--dir', '/tmp')).toMatchObject({ code: 2, err: expect.stringContaining('unknown dataset "mimic" (options: ludb, ptbxl, synthetic)') });
    expect(await cli('eval', '--dataset', 'ludb', '--dir', '/nonexistent/ludb')).toMatchObject({ code: 2, err: expect.stringContaining('/nonexistent/ludb') });
    expect(await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '9-3')).toMatchObject({ code: 2, err: expect.stringContaining('runs backwards') });
    expect(await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--method', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('options: aicrn, consensus, dsp') });
    expect(await cli('eval', '--dataset', 'ptbxl', '--dir', '/nonexistent/ptbxl')).toMatchObject({ code: 2, err: expect.stringContaining('ptbxl_database.csv: file not found') });
    expect(await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '1', '--windows', '/nonexistent/dir/w.jsonl')).toMatchObject({ code: 2, out: '', err: expect.stringContaining("cannot write the output: ENOENT: no such file or directory, open '/nonexistent/dir/w.jsonl'") });
  });
});

describe('aicrn bench dsp', () => {
  it('reports p50/p99 ms per 12-lead 10-s window', async () => {
    const { out, code } = await cli('bench', 'dsp', '--seconds', '0.3', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ leads: 12, sample_rate_hz: 500, window_s: 10 });
    expect(report.runs).toBeGreaterThan(1);
    expect(report.p50_ms).toBeGreaterThan(0);
    expect(report.p99_ms).toBeGreaterThanOrEqual(report.p50_ms);
  });
});

describe('aicrn measure and eval --model', () => {
  const CONFIG: AicrnConfig = { ...TINY_CONFIG, name: 'aicrn-tiny-cli', windowSeconds: 10, targets: ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'] };
  const VERSION = 'aicrn-tiny-cli/test';
  let dir: string;
  let trained: string;
  let untrained: string;
  let empty: string;
  let twoLead: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aicrn-model-option-'));
    [trained, untrained, empty] = ['trained', 'untrained', 'empty'].map((name) => join(dir, name));
    // Random weights with made-up training metadata: these tests check which method measured what, not accuracy.
    await saveAicrnModel(buildAicrnModel(CONFIG, { seed: 3 }), trained, {
      ...untrainedMetadata(CONFIG, 3),
      model_version: VERSION,
      standardisation: { hr_bpm: { mean: 70, std: 10 }, pr_ms: { mean: 160, std: 20 }, qrs_ms: { mean: 90, std: 10 }, qt_ms: { mean: 400, std: 30 }, r_amp_mv: { mean: 1, std: 0.3 }, t_amp_mv: { mean: 0.3, std: 0.1 } },
      training: { dataset: 'none (random weights for CLI tests)', finished_at: '2026-01-01T00:00:00Z' },
    });
    await saveAicrnModel(buildAicrnModel(CONFIG, { seed: 3 }), untrained, untrainedMetadata(CONFIG, 3));
    mkdirSync(empty);
    mkdirSync(join(dir, 'mitdb'));
    twoLead = writeMitdb100Head(join(dir, 'mitdb'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures with the model and says per window which method produced the numbers', async () => {
    const { out, err, code } = await cli('measure', join(LUDB, '1.hea'), twoLead, '--model', trained, '--json');
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.method, l.model])).toEqual([['aicrn', VERSION], ...[0, 1, 2].map(() => ['dsp', DSP_VERSION])]);
    expect(lines[0].fallback_reason).toBeNull();
    // MIT-BIH 100 has MLII and V5 only: the network cannot take it, DSP measures it and the line says why.
    for (const line of lines.slice(1)) expect(line.fallback_reason).toMatch(/^AICRN not eligible \(missing_chest_leads\): .*missing V1, V2, V3, V4, V6/);
    expect(lines.slice(1).every((l) => l.hr_bpm > 60 && l.hr_bpm < 90)).toBe(true);
    expect(err).toBe('');

    const table = (await cli('measure', join(LUDB, '1.hea'), twoLead, '--model', trained)).out.trim().split('\n');
    expect(table[1]).toMatch(new RegExp(` aicrn \\(${VERSION}\\)$`));
    expect(table[2]).toContain(` dsp (${DSP_VERSION}): AICRN not eligible (missing_chest_leads): `);
  }, 60_000);

  it('--method consensus reports the mean of the network and DSP, and DSP alone where the network cannot take the window', async () => {
    const network = await cli('measure', join(LUDB, '1.hea'), '--model', trained, '--json');
    const dsp = await cli('measure', join(LUDB, '1.hea'), '--method', 'dsp', '--json');
    const { out, err, code } = await cli('measure', join(LUDB, '1.hea'), twoLead, '--model', trained, '--method', 'consensus', '--json');
    expect([code, err]).toEqual([0, '']);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.method, l.model])).toEqual([['consensus', `${VERSION} + ${DSP_VERSION}`], ...[0, 1, 2].map(() => ['dsp', DSP_VERSION])]);
    const [a, b] = [JSON.parse(network.out), JSON.parse(dsp.out)];
    // Random weights: a parameter the network reads as implausible is null, and then so is the consensus.
    const parameters = ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'];
    expect(parameters.filter((p) => lines[0][p] !== null).length).toBeGreaterThan(0);
    for (const parameter of parameters) {
      if (a[parameter] === null || b[parameter] === null) expect([parameter, lines[0][parameter]]).toEqual([parameter, null]);
      else {
        // Each line is rounded (0.1 ms or bpm, 0.001 mV), so the mean of two printed values is off by at most one unit.
        const unit = parameter.endsWith('_mv') ? 0.001 : 0.1;
        const off = Math.abs(lines[0][parameter] - (a[parameter] + b[parameter]) / 2);
        expect([parameter, off <= unit + 1e-9]).toEqual([parameter, true]);
      }
    }
    expect(lines[1].fallback_reason).toMatch(/^AICRN not eligible \(missing_chest_leads\)/);
  }, 60_000);

  it('--model overrides MODEL_DIR', async () => {
    const before = process.env.MODEL_DIR;
    process.env.MODEL_DIR = empty;
    try {
      const { out, code } = await cli('measure', join(LUDB, '1.hea'), '--model', trained, '--json');
      expect(code).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ method: 'aicrn', model: VERSION });
      // Without --model, the broken MODEL_DIR is what --method aicrn uses, and the message names it (once, not per file).
      const fromEnv = await cli('measure', join(LUDB, '1.hea'), join(LUDB, '2.hea'), '--method', 'aicrn');
      expect(fromEnv).toMatchObject({ code: 2, out: '', err: `aicrn measure: MODEL_DIR ${empty}: no model.json in it (pass a model directory written by \`aicrn train --out DIR\`)\n` });
    } finally {
      if (before === undefined) delete process.env.MODEL_DIR;
      else process.env.MODEL_DIR = before;
    }
  }, 60_000);

  it.each([
    ['a missing directory', () => join(dir, 'nope'), /--model \S+nope: no such directory/],
    ['a directory without model.json', () => empty, /--model \S+empty: no model.json in it/],
    ['an untrained model', () => untrained, /--model \S+untrained: model aicrn-tiny-cli\/untrained-seed-3 has no training metadata .*use --method dsp/],
  ])('exits 2 before any output for %s', async (_, modelDir, message) => {
    for (const command of [['measure', join(LUDB, '1.hea')], ['eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '1']]) {
      const { out, err, code } = await cli(...command, '--model', modelDir());
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('refuses --model with another method instead of ignoring the model', async () => {
    const { code, err } = await cli('measure', join(LUDB, '1.hea'), '--model', trained, '--method', 'dsp');
    expect(code).toBe(2);
    expect(err).toContain('--model selects an AICRN model, but --method is dsp; drop --model or use --method aicrn or consensus');
  });

  it('--explain draws the first window with the attention and still prints every line', async () => {
    const png = join(dir, 'explain.png');
    const { out, err, code } = await cli('measure', join(LUDB, '1.hea'), join(LUDB, '2.hea'), '--model', trained, '--explain', png, '--json');
    expect(code).toBe(0);
    expect(out.trim().split('\n').map((line) => JSON.parse(line).method)).toEqual(['aicrn', 'aicrn']);
    expect(err).toBe(`explanation written to ${png}\n`);
    const image = PNG.sync.read(readFileSync(png));
    expect(image.width).toBe(1400);
    expect(image.height).toBeGreaterThan(900);
  }, 60_000);

  it('--explain exits 2 before any output when there is no attention to draw', async () => {
    const png = join(dir, 'never.png');
    const cases: Array<[string[], RegExp]> = [
      [['--method', 'dsp'], /^aicrn measure: --explain draws the network's attention, but the method is dsp; use --method aicrn \(or --model DIR\)\n$/],
      // MIT-BIH 100 has MLII and V5 only: the network does not take its windows.
      [['--model', trained, twoLead], /^aicrn measure: --explain: \S+100\.hea at 0 s: AICRN not eligible \(missing_chest_leads\): .*; no attention map to draw\n$/],
    ];
    for (const [args, message] of cases) {
      const files = args.includes(twoLead) ? [] : [join(LUDB, '1.hea')];
      const { out, err, code } = await cli('measure', ...files, ...args, '--explain', png);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(message);
      expect(existsSync(png)).toBe(false);
    }
  }, 60_000);

  it('--explain alone selects the network, and says so when there is no model', async () => {
    const before = process.env.MODEL_DIR;
    process.env.MODEL_DIR = empty;
    try {
      const { out, err, code } = await cli('measure', join(LUDB, '1.hea'), '--explain', join(dir, 'none.png'));
      expect({ out, code }).toEqual({ out: '', code: 2 });
      expect(err).toContain(`MODEL_DIR ${empty}: no model.json in it`);
    } finally {
      if (before === undefined) delete process.env.MODEL_DIR;
      else process.env.MODEL_DIR = before;
    }
  });

  it('evaluates the model given with --model and counts the windows per method', async () => {
    const { out, code } = await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '1-2', '--model', trained, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ method: 'aicrn', model: VERSION, windows: 2, measured_by: [{ method: 'aicrn', model: VERSION, windows: 2 }], fallbacks: [] });
  }, 60_000);

  it('reports how many windows each method measured when the network fell back to DSP', async () => {
    // A stand-in network that declines every second window, as AICRN does for windows without chest leads.
    let calls = 0;
    const reason = 'AICRN not eligible (missing_chest_leads): the network needs chest leads V1-V6';
    const network: WindowMeasurer = {
      method: 'aicrn',
      version: 'net/1',
      async measure(record): Promise<AttributedMeasurement> {
        const dsp = await dspMeasurer.measure(record);
        return calls++ % 2 === 0 ? { ...dsp, method: 'aicrn', version: 'net/1' } : { ...dsp, method: 'dsp', version: DSP_VERSION, fallbackReason: reason };
      },
    };
    const report = await runEval({ dataset: 'synthetic', count: 5, seed: 1, method: 'aicrn' }, [network], { progress: false });
    expect(report.measured_by).toEqual([
      { method: 'aicrn', model: 'net/1', windows: 3 },
      { method: 'dsp', model: DSP_VERSION, windows: 2 },
    ]);
    expect(report.fallbacks).toEqual([{ reason, windows: 2 }]);
    const text = formatReport(report).split('\n');
    expect(text.slice(0, 3)).toEqual([
      'synthetic: 5 windows, method aicrn (net/1)',
      `measured by: aicrn (net/1) 3 windows, dsp (${DSP_VERSION}) 2 windows`,
      `  dsp for 2 windows: ${reason}`,
    ]);
  });

  it('keeps a window the method could not measure in --windows, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aicrn-windows-'));
    let calls = 0;
    const flaky: WindowMeasurer = {
      method: 'dsp',
      version: DSP_VERSION,
      async measure(record) {
        if (calls++ === 1) throw new RangeError('lead II is flat');
        return dspMeasurer.measure(record);
      },
    };
    try {
      const file = join(dir, 'windows.jsonl');
      const report = await runEval({ dataset: 'synthetic', count: 3, seed: 1, method: 'dsp', windows: file }, [flaky], { progress: false });
      const rows = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(rows).toHaveLength(3);
      expect(rows[1]).toMatchObject({ method: null, measured: null, failure: 'lead II is flat' });
      expect(rows[1].reference.hr_bpm).toEqual(expect.any(Number));
      expect(rows[0].method).toBe('dsp');
      expect(report.failures).toEqual([{ source: rows[1].source, reason: 'lead II is flat' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--compare measures every window with both methods and says which is closer, per parameter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aicrn-compare-'));
    // A second method 200 ms off on QT, which cannot measure the third window: DSP is closer on QT.
    let calls = 0;
    const offset: WindowMeasurer = {
      method: 'aicrn',
      version: 'net/qt+200',
      async measure(record) {
        if (calls++ === 2) throw new RangeError('lead II is flat');
        const dsp = await dspMeasurer.measure(record);
        return { ...dsp, parameters: { ...dsp.parameters, qt_ms: dsp.parameters.qt_ms === null ? null : dsp.parameters.qt_ms + 200 } };
      },
    };
    try {
      const file = join(dir, 'windows.jsonl');
      const report = await runEval({ dataset: 'synthetic', count: 6, seed: 1, method: 'dsp', compare: 'aicrn', windows: file }, [dspMeasurer, offset], { progress: false });
      const qt = report.comparison!.parameters.find((c) => c.parameter === 'qt_ms')!;
      expect(report.comparison).toMatchObject({ method: 'aicrn', model: 'net/qt+200' });
      expect(qt).toMatchObject({ n: 5, records: 5, onlyA: 1, onlyB: 0, closer: 'a' });
      expect(qt.maeB! - qt.maeA!).toBeGreaterThan(150);
      const rows = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(rows[2].compared).toBeNull();
      expect(rows[0].compared.qt_ms).toBeCloseTo(rows[0].measured.qt_ms + 200, 6);
      const text = formatReport(report).split('\n');
      expect(text).toContainEqual(expect.stringMatching(/^compared with aicrn \(net\/qt\+200\) on the windows both measured/));
      expect(text).toContainEqual(expect.stringMatching(/^qt_ms +5 +1 +0 .* dsp$/));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--compare refuses the method being evaluated', async () => {
    await expect(runEval({ dataset: 'synthetic', count: 1, seed: 1, method: 'dsp', compare: 'dsp' }, [dspMeasurer], { progress: false })).rejects.toThrow(
      '--compare dsp is the method being evaluated; compare with another method',
    );
  });
});
