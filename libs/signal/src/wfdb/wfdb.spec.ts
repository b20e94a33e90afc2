import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSamples, isBeatAnnotation, parseMitAnnotations, parseWfdbHeader, readMitAnnotations, readWfdbRecord, WfdbError } from '.';

const LUDB = '/work/shared/data/ludb/data';
const MITDB = '/work/shared/data/mitdb';

function wfdbError(fn: () => unknown): WfdbError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WfdbError) return error;
    throw error;
  }
  throw new Error('expected a WfdbError');
}

describe('WFDB header', () => {
  it('parses record and signal lines, gain(baseline)/units, checksum and comments', () => {
    const header = parseWfdbHeader(readFileSync(join(LUDB, '1.hea'), 'utf8'), '1.hea');
    expect(header).toMatchObject({ recordName: '1', sampleRateHz: 500, samplesPerSignal: 5000 });
    expect(header.signals).toHaveLength(12);
    expect(header.signals[0]).toMatchObject({ fileName: '1.dat', format: 16, gain: 1716, baseline: 6, units: 'mV', initialValue: -120, checksum: -32198, blockSize: 0, description: 'i' });
    expect(header.comments).toContain('<age>: 51');
  });

  it('takes the baseline from the ADC zero when the gain has none, and skips blank and leading comment lines', () => {
    const header = parseWfdbHeader(readFileSync(join(MITDB, '100.hea'), 'utf8'), '100.hea');
    expect(header.sampleRateHz).toBe(360);
    expect(header.signals.map((s) => [s.format, s.gain, s.baseline, s.adcResolutionBits, s.description])).toEqual([
      [212, 200, 1024, 11, 'MLII'],
      [212, 200, 1024, 11, 'V5'],
    ]);
  });

  it.each([
    ['100 2 0 650000\n100.dat 212 200 11 1024 995 0 0 MLII\n100.dat 212 200 11 1024 1011 0 0 V5\n', 'invalid_sample_rate'],
    ['100 2 abc\n100.dat 212 200\n100.dat 212 200\n', 'invalid_sample_rate'],
    ['100 1 360 10\n100.dat 80 200 11 1024\n', 'unsupported_format'],
    ['100/3 1 360 10\n', 'unsupported_format'],
    ['100 2 360 10\n100.dat 212 200\n', 'mismatch'],
    ['100 1 360 10\n100.dat 212 2x0(1)/mV\n', 'parse'],
    ['# only comments\n', 'parse'],
  ])('rejects %j with %s', (text, code) => {
    const error = wfdbError(() => parseWfdbHeader(text, 'bad.hea'));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^bad\.hea: /);
  });
});

describe('WFDB signals', () => {
  it('reads LUDB format 16 into ADU and mV = (adu - baseline) / gain', () => {
    const { adu, record } = readWfdbRecord(join(LUDB, '1.hea'));
    expect(record.sampleRateHz).toBe(500);
    expect(record.leads.map((l) => l.name)).toEqual(['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(adu[0][0]).toBe(-120);
    expect(record.leads[0].mv[0]).toBeCloseTo((-120 - 6) / 1716, 6);
    expect(record.leads[11].mv).toHaveLength(5000);
  });

  it('reads MIT-BIH format 212 (checksums verified) ', () => {
    const { adu, record } = readWfdbRecord(join(MITDB, '100'));
    expect(adu[0].slice(0, 3)).toEqual(Int16Array.from([995, 995, 995]));
    expect(adu[1][0]).toBe(1011);
    expect(record.leads[0].mv).toHaveLength(650000);
    expect(record.leads[0].mv[0]).toBeCloseTo((995 - 1024) / 200, 6);
  });

  it('decodes format 212 sign and nibble layout', () => {
    // Samples 0x123 and -2 (0xFFE): byte0 = 0x23, byte1 = high nibbles (0xF << 4 | 0x1), byte2 = 0xFE.
    expect(Array.from(decodeSamples(212, Uint8Array.from([0x23, 0xf1, 0xfe]), 2))).toEqual([0x123, -2]);
  });

  describe('with damaged copies', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'wfdb-'));
      copyFileSync(join(LUDB, '1.hea'), join(dir, '1.hea'));
      copyFileSync(join(LUDB, '1.dat'), join(dir, '1.dat'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a truncated signal file', () => {
      writeFileSync(join(dir, '1.dat'), readFileSync(join(LUDB, '1.dat')).subarray(0, 50000));
      const error = wfdbError(() => readWfdbRecord(join(dir, '1.hea')));
      expect(error.code).toBe('truncated');
      expect(error.message).toContain('1.dat');
      expect(error.message).toContain('120000');
    });

    it('reports corrupt samples through the checksum', () => {
      const bytes = Buffer.from(readFileSync(join(LUDB, '1.dat')));
      bytes[60001] ^= 0x40;
      writeFileSync(join(dir, '1.dat'), bytes);
      const error = wfdbError(() => readWfdbRecord(join(dir, '1.hea')));
      expect(error.code).toBe('mismatch');
      expect(error.message).toMatch(/checksum/);
      expect(() => readWfdbRecord(join(dir, '1.hea'), { verifyChecksum: false })).not.toThrow();
    });

    it('reports a missing signal file and a missing header', () => {
      rmSync(join(dir, '1.dat'));
      expect(wfdbError(() => readWfdbRecord(join(dir, '1.hea'))).code).toBe('not_found');
      expect(wfdbError(() => readWfdbRecord(join(dir, '2.hea'))).message).toContain('2.hea: file not found');
    });

    it('scales uV signals to mV and rejects non-voltage units', () => {
      const text = readFileSync(join(LUDB, '1.hea'), 'utf8').replace('1716(6)/mV', '1716(6)/uV');
      writeFileSync(join(dir, '1.hea'), text);
      expect(readWfdbRecord(join(dir, '1.hea')).record.leads[0].mv[0]).toBeCloseTo(((-120 - 6) / 1716) * 1e-3, 9);
      writeFileSync(join(dir, '1.hea'), text.replace('1716(6)/uV', '1716(6)/mmHg'));
      expect(wfdbError(() => readWfdbRecord(join(dir, '1.hea'))).code).toBe('unsupported_format');
    });
  });
});

describe('MIT annotations', () => {
  it('reads LUDB wave annotations and MIT-BIH beats with AUX rhythm strings', () => {
    const waves = readMitAnnotations(join(LUDB, '1.ii'));
    expect(waves.slice(0, 3).map((a) => `${a.symbol}${a.sample}`)).toEqual(['(644', 'N662', ')682']);
    const atr = readMitAnnotations(join(MITDB, '100.atr'));
    expect(atr[0]).toMatchObject({ symbol: '+', aux: '(N' });
    expect(atr.filter(isBeatAnnotation)).toHaveLength(2273);
  });

  it('decodes SKIP, NUM, SUB, CHN and AUX records', () => {
    const words: number[] = [];
    const word = (code: number, value: number): void => {
      const w = (code << 10) | (value & 0x3ff);
      words.push(w & 0xff, w >> 8);
    };
    word(59, 0); // SKIP: 32-bit interval, high word first
    words.push(0x01, 0x00, 0xa0, 0x86); // 0x0001_86a0 = 100000
    word(1, 5); // N at 100005
    word(61, 3); // SUB 3
    word(62, 2); // CHN 2
    word(60, 1020); // NUM -4
    word(63, 3); // AUX "abc" + pad
    words.push(0x61, 0x62, 0x63, 0x00);
    word(5, 10); // V at 100015: chan and num carry over, sub and aux do not
    word(0, 0);
    const [first, second] = parseMitAnnotations(Uint8Array.from(words), 'synthetic.atr');
    expect(first).toEqual({ sample: 100005, code: 1, symbol: 'N', subtype: 3, chan: 2, num: -4, aux: 'abc' });
    expect(second).toEqual({ sample: 100015, code: 5, symbol: 'V', subtype: 0, chan: 2, num: -4, aux: null });
  });

  it('rejects truncated annotation files', () => {
    const bytes = readFileSync(join(MITDB, '100.atr'));
    const error = wfdbError(() => parseMitAnnotations(bytes.subarray(0, 501), '100.atr'));
    expect(error.code).toBe('truncated');
    expect(() => parseMitAnnotations(Uint8Array.from([0x00, 0xfc, 0x05]), 'aux.atr')).toThrow(WfdbError);
  });
});
