import { BadRequestException } from '@nestjs/common';
import { ID_PATTERN } from '@aicrn/contracts';

/** A bed or alert id from the path; anything else is a 400, never a lookup. */
export function parseId(kind: string, value: string): string {
  if (!ID_PATTERN.test(value) && !/^[a-f0-9]{8,64}$/.test(value)) throw new BadRequestException(`${kind} must match ${ID_PATTERN}`);
  return value;
}

/** `since` as epoch milliseconds or an ISO-8601 time; absent = `defaultMs`. */
export function parseSince(value: string | undefined, defaultMs: number): number {
  if (value === undefined || value === '') return defaultMs;
  const asNumber = Number(value);
  const ms = /^-?\d+(\.\d+)?$/.test(value) ? asNumber : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0) throw new BadRequestException('since must be epoch milliseconds or an ISO-8601 time');
  return ms;
}

export function parseLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequestException(`limit must be an integer in 1..${max}`);
  return n;
}
