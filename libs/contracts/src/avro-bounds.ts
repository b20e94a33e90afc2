import * as avro from 'avsc';

/**
 * Checks, without allocating, that an Avro body can be decoded with `type`: every length and block
 * count fits in the bytes that remain. avsc trusts block counts and would keep building elements of a
 * 1e9-element array from a few dozen bytes until the heap is gone; one such record on a topic would
 * then crash every consumer that reads it. Throws AvroBoundsError naming the path.
 */
export function assertAvroBounds(type: avro.Type, body: Buffer): void {
  const reader = new BoundedReader(body);
  walk(type, reader, type.name ?? type.typeName);
  if (reader.pos !== body.length) throw new AvroBoundsError(`${body.length - reader.pos} bytes left over after the record`);
}

export class AvroBoundsError extends Error {
  override name = 'AvroBoundsError';
}

class BoundedReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Zig-zag varint long, as Avro encodes int, long, lengths and counts. */
  long(path: string): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new AvroBoundsError(`${path}: truncated number`);
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * multiplier;
      if (!(byte & 0x80)) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      multiplier *= 128;
    }
    throw new AvroBoundsError(`${path}: number longer than 10 bytes`);
  }

  skip(bytes: number, path: string): void {
    if (bytes < 0 || bytes > this.remaining) throw new AvroBoundsError(`${path}: needs ${bytes} bytes, ${this.remaining} left`);
    this.pos += bytes;
  }
}

/** Fewest bytes one value of a type can take: bounds how many elements a block can honestly hold. */
function minSize(type: avro.Type, seen = new Set<avro.Type>()): number {
  const t = type as AnyType;
  switch (t.typeName) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return t.size!;
    case 'record':
    case 'error': {
      if (seen.has(type)) return 0;
      seen.add(type);
      return t.fields!.reduce((sum, f) => sum + minSize(f.type, seen), 0);
    }
    default:
      return 1;
  }
}

type AnyType = avro.Type & {
  typeName: string;
  size?: number;
  fields?: Array<{ name: string; type: avro.Type }>;
  itemsType?: avro.Type;
  valuesType?: avro.Type;
  types?: avro.Type[];
  symbols?: string[];
  underlyingType?: avro.Type;
};

/** Elements of zero size (e.g. arrays of null) cannot be bounded by bytes; cap them instead. */
const MAX_EMPTY_ELEMENTS = 1_000_000;

function walk(type: avro.Type, r: BoundedReader, path: string): void {
  const t = type as AnyType;
  switch (t.typeName) {
    case 'null':
      return;
    case 'boolean':
      return r.skip(1, path);
    case 'int':
    case 'long':
      r.long(path);
      return;
    case 'float':
      return r.skip(4, path);
    case 'double':
      return r.skip(8, path);
    case 'bytes':
    case 'string':
      return r.skip(r.long(path), path);
    case 'fixed':
      return r.skip(t.size!, path);
    case 'enum': {
      const index = r.long(path);
      if (index < 0 || index >= t.symbols!.length) throw new AvroBoundsError(`${path}: enum index ${index} out of range`);
      return;
    }
    case 'record':
    case 'error':
      for (const field of t.fields!) walk(field.type, r, `${path}.${field.name}`);
      return;
    case 'array':
    case 'map':
      return walkBlocks(t, r, path);
    case 'union:unwrapped':
    case 'union:wrapped': {
      const index = r.long(path);
      if (index < 0 || index >= t.types!.length) throw new AvroBoundsError(`${path}: union branch ${index} out of range`);
      return walk(t.types![index], r, path);
    }
    default:
      if (t.underlyingType) return walk(t.underlyingType, r, path);
      throw new AvroBoundsError(`${path}: unsupported Avro type ${t.typeName}`);
  }
}

function walkBlocks(t: AnyType, r: BoundedReader, path: string): void {
  const isMap = t.typeName === 'map';
  const element = (isMap ? t.valuesType : t.itemsType)!;
  const elementMin = minSize(element) + (isMap ? 1 : 0);
  for (;;) {
    let count = r.long(path);
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      r.long(path); // block size in bytes, only a hint for skipping
    }
    const bound = elementMin > 0 ? Math.floor(r.remaining / elementMin) : MAX_EMPTY_ELEMENTS;
    if (count > bound) throw new AvroBoundsError(`${path}: block of ${count} elements cannot fit in the ${r.remaining} bytes left`);
    for (let i = 0; i < count; i++) {
      if (isMap) r.skip(r.long(`${path}{key}`), `${path}{key}`);
      walk(element, r, `${path}[${i}]`);
    }
  }
}
