import { Command } from 'commander';
import { DEFAULT_BACKLOG_WINDOWS_PER_BED, DEFAULT_FLUSH_GRACE_MS, DeviceLink } from './device-outbox';
import { integerIn } from './option-parsers';

export interface DeviceLinkFlags {
  backlog: number;
  flushGraceS: number;
}

/** The options every device-side command shares: how much a bed holds during an outage, and the Ctrl-C grace. */
export function addDeviceLinkOptions(command: Command): Command {
  return command
    .option(
      '--backlog <windows>',
      'windows each bed holds in memory while the broker is unreachable (10 s each: 30 = 5 min)',
      integerIn('--backlog', 1, 8640),
      DEFAULT_BACKLOG_WINDOWS_PER_BED,
    )
    .option('--flush-grace-s <s>', 'after Ctrl-C, seconds to keep sending held windows', integerIn('--flush-grace-s', 0, 300), DEFAULT_FLUSH_GRACE_MS / 1000);
}

/** Help text on what happens when the broker goes away. */
export const DEVICE_LINK_HELP =
  'Broker outages: a failed send is retried (backoff 250 ms doubling to 5 s, +-20 % jitter) and every window waits, in\n' +
  'order per bed, until the broker takes it; outage and recovery lines go to stderr. A device\'s memory is finite: each\n' +
  'bed holds at most --backlog windows; when a live window finds it full, the OLDEST is DROPPED, counted and reported\n' +
  '(stderr and the summary). History (--fast, backfill, a replay\'s past) waits for room instead and is never dropped.\n' +
  'Ctrl-C stops producing, keeps sending what is held for --flush-grace-s, then reports what was not sent; a second\n' +
  'Ctrl-C exits at once (130).';

/** The DeviceLink of a command's flags; its lines go to stderr as `aicrn <command>: ...`. */
export function deviceLink(command: string, flags: DeviceLinkFlags): DeviceLink {
  return { backlogWindowsPerBed: flags.backlog, flushGraceMs: flags.flushGraceS * 1000, log: (line) => process.stderr.write(`aicrn ${command}: ${line}\n`) };
}
