import { createHash } from 'node:crypto';

/** What happened to an alert; part of its event id. */
export type AlertTransition = 'raised' | 'escalated' | 'acknowledged' | 'latched' | 'unlatched' | 'cleared';

/**
 * Stable id of one alarm episode: the same bed, kind and onset window always give the same id, so a
 * replay of the same measurements reproduces it. sha1 truncated to 80 bits (20 hex digits).
 */
export function alertIdFor(bedId: string, kind: string, onsetWindowId: string): string {
  return createHash('sha1').update(`${bedId}|${kind}|${onsetWindowId}`).digest('hex').slice(0, 20);
}

/** Id of the n-th transition of an alert (0 = raised), e.g. "3f2a...:2:acknowledged". */
export function eventIdFor(alertId: string, seq: number, transition: AlertTransition): string {
  return `${alertId}:${seq}:${transition}`;
}
