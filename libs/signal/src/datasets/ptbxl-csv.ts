import { createReadStream } from 'node:fs';

/**
 * Incremental RFC 4180 CSV parser: quoted fields may hold commas, doubled quotes and line breaks,
 * and chunks may split anywhere (even between the two quotes of an escaped quote).
 */
export class CsvParser {
  private field = '';
  private row: string[] = [];
  private inQuotes = false;
  private quotePending = false;
  private fieldStarted = false;
  private lastWasCr = false;

  /** Feeds a chunk; returns the rows it completed. */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.quotePending) {
        this.quotePending = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (c === '"') this.quotePending = true;
        else this.field += c;
        continue;
      }
      if (c === '\n' && this.lastWasCr) {
        this.lastWasCr = false;
        continue;
      }
      this.lastWasCr = c === '\r';
      if (c === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
      } else if (c === ',') {
        this.endField();
      } else if (c === '\n' || c === '\r') {
        this.endField();
        rows.push(this.row);
        this.row = [];
      } else {
        this.field += c;
        this.fieldStarted = true;
      }
    }
    return rows;
  }

  /** Flushes the last row when the input does not end with a line break. */
  end(): string[][] {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) throw new Error('CSV ends inside a quoted field');
    if (this.field === '' && this.row.length === 0 && !this.fieldStarted) return [];
    this.endField();
    const row = this.row;
    this.row = [];
    return [row];
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }
}

/** Parses a whole CSV text (tests and small files). */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/**
 * Streams a CSV file as objects keyed by the header row, holding one chunk at a time.
 * Blank lines are skipped; a row with a different number of fields is an error naming file and line.
 */
export async function* readCsvObjects(path: string, columns?: readonly string[]): AsyncGenerator<Record<string, string>> {
  const parser = new CsvParser();
  let header: string[] | null = null;
  let wanted: Array<[string, number]> = [];
  let line = 0;
  const emit = function* (rows: string[][]): Generator<Record<string, string>> {
    for (const row of rows) {
      line++;
      if (row.length === 1 && row[0] === '') continue;
      if (!header) {
        header = row.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
        const names = columns ?? header;
        const missing = names.filter((name) => !header!.includes(name));
        if (missing.length) throw new Error(`${path}: missing column(s) ${missing.join(', ')}`);
        wanted = names.map((name) => [name, header!.indexOf(name)]);
        continue;
      }
      if (row.length !== header.length) throw new Error(`${path}: row ${line} has ${row.length} fields, the header has ${header.length}`);
      const out: Record<string, string> = {};
      for (const [name, index] of wanted) out[name] = row[index];
      yield out;
    }
  };
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const chunk of stream) yield* emit(parser.push(chunk as string));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${path}: file not found`);
    throw error;
  }
  yield* emit(parser.end());
  if (!header) throw new Error(`${path}: empty CSV (no header row)`);
}
