import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { PNG } from 'pngjs';
import { DSP_VERSION, readWfdbRecord } from '@aicrn/signal';
import { registerBenchDspCommand } from './bench-dsp.command';
import { registerEvalCommand } from './eval.command';
import { registerMeasureCommand } from './measure.command';

const LUDB = '/work/shared/data/ludb/data';

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
    expect(Object.keys(lines[0]).sort()).toEqual(['hr_bpm', 'method', 'model', 'pr_ms', 'qrs_ms', 'qt_ms', 'qtc_ms', 'quality', 'r_amp_mv', 'source', 't_amp_mv', 'window_start_s'].sort());
    expect(lines[0]).toMatchObject({ source: join(LUDB, '1.hea'), window_start_s: 0, method: 'dsp', model: DSP_VERSION });
    expect(lines[0].hr_bpm).toBeGreaterThan(40);
    expect(lines[0].quality === null || (lines[0].quality >= 0 && lines[0].quality <= 1)).toBe(true);
    expect(err).not.toMatch(/error/i);
  });

  it('splits a long record into consecutive windows and prints a table without --json', async () => {
    // The first 30 s of MIT-BIH 100 as its own record.
    const { adu } = readWfdbRecord('/work/shared/data/mitdb/100.hea');
    const checksum = (samples: Int16Array): number => (samples.subarray(0, 10800).reduce((sum, v) => (sum + v) | 0, 0) << 16) >> 16;
    const lines = readFileSync('/work/shared/data/mitdb/100.hea', 'utf8').replace('650000', '10800').split('\n');
    let signal = 0;
    const header = lines.map((line) => (line.startsWith('100.dat') ? line.replace(/ -?\d+ 0 (MLII|V5)\s*$/, ` ${checksum(adu[signal++])} 0 $1`) : line));
    writeFileSync(join(dir, '100.hea'), header.join('\n'));
    copyFileSync('/work/shared/data/mitdb/100.dat', join(dir, '100.dat'));
    const json = await cli('measure', join(dir, '100.hea'), '--json');
    expect(json.err).toBe('');
    const windows = json.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(windows.map((w) => w.window_start_s)).toEqual([0, 10, 20]);
    expect(windows.every((w) => w.r_amp_mv !== null && w.hr_bpm > 60 && w.hr_bpm < 90)).toBe(true);
    const table = await cli('measure', join(dir, '100.hea'));
    expect(table.out.split('\n')[0]).toMatch(/source\s+start_s\s+hr_bpm\s+pr_ms/);
    expect(table.out.trim().split('\n')).toHaveLength(4);
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
    expect(unknown.err).toContain('unknown method "magic" (options: aicrn, dsp)');
  });
});

describe('aicrn eval', () => {
  it('scores LUDB records against the reference derivation and writes Bland-Altman plots', async () => {
    const plots = mkdtempSync(join(tmpdir(), 'aicrn-plots-'));
    try {
      const { out, code } = await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '1-12', '--json', '--plots', plots);
      expect(code).toBe(0);
      const report = JSON.parse(out);
      expect(report).toMatchObject({ dataset: 'ludb', method: 'dsp', windows: 12, interrupted: false });
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

  it('exits 2 on unknown datasets, missing directories and bad record lists', async () => {
    expect(await cli('eval', '--dataset', 'mimic', '--dir', '/tmp')).toMatchObject({ code: 2, err: expect.stringContaining('unknown dataset "mimic" (options: ludb, ptbxl, synthetic)') });
    expect(await cli('eval', '--dataset', 'ludb', '--dir', '/nonexistent/ludb')).toMatchObject({ code: 2, err: expect.stringContaining('/nonexistent/ludb') });
    expect(await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--records', '9-3')).toMatchObject({ code: 2, err: expect.stringContaining('runs backwards') });
    expect(await cli('eval', '--dataset', 'ludb', '--dir', '/work/shared/data/ludb', '--method', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('options: aicrn, dsp') });
    expect(await cli('eval', '--dataset', 'ptbxl', '--dir', '/nonexistent/ptbxl')).toMatchObject({ code: 2, err: expect.stringContaining('ptbxl_database.csv: file not found') });
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
