import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { TOPICS, WINDOW_SECONDS } from '@aicrn/contracts';
import { readWfdbRecord } from '@aicrn/signal';
import { BadInputError, reportBadInput } from './bad-input';
import { interruption } from './device-feed';
import { addDeviceLinkOptions, DEVICE_LINK_HELP, deviceLink, DeviceLinkFlags } from './device-link-options';
import { deliveryText } from './device-outbox';
import { closeDeviceBus, connectDeviceBus, exitIfWindowsAbandoned } from './kafka-device-bus';
import { deviceIdForRecord, planReplay, ReplayPlan } from './replay-plan';
import { ReplayResult, runReplay } from './replay-run';

interface ReplayFlags extends DeviceLinkFlags {
  bed: string;
  kafka?: string;
  device?: string;
  realtime?: boolean;
  startMs?: number;
  seqStart?: number;
  json?: boolean;
}

/** The `--json` summary of a replay. */
export interface ReplaySummary extends ReplayResult {
  file: string;
  record: string;
  topic: string;
  bed_id: string;
  device_id: string;
  sample_rate_hz: number;
  leads: Array<{ name: string; label: string; gain_adu_per_mv: number; baseline_adu: number }>;
  skipped_signals: Array<{ label: string; reason: string }>;
  windows_total: number;
  seq_first: number;
  dropped_tail_s: number;
  realtime: boolean;
  elapsed_s: number;
}

/** Exit code of a replay stopped by Ctrl-C before its last window (the feed is incomplete). */
export const INTERRUPTED_EXIT_CODE = 130;

const integer = (name: string, min: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
  return n;
};

/** `aicrn replay FILE.hea`: a WFDB record as a live bedside feed on Kafka. */
export function registerReplayCommand(program: Command): void {
  const command = program
    .command('replay')
    .description('send a WFDB record to ecg.raw.v1 as a bedside device would: consecutive 10-s windows of int16 ADU with the record\'s gain and baseline')
    .argument('<file.hea>', 'WFDB header (formats 16 and 212, 100-2000 Hz)')
    .requiredOption('--bed <id>', 'bed id (the Kafka key)')
    .option('--kafka <brokers>', 'Kafka brokers host:port[,host:port] (default env KAFKA_BROKERS; SASL/TLS/KAFKA_IDEMPOTENT from env)')
    .option('--device <id>', 'device id (default wfdb-<record>)')
    .option('--realtime', 'send each window when its end time has passed (default: as fast as possible)')
    .option('--start-ms <ms>', 'epoch ms of the first sample (default: realtime now - 10 s; otherwise so that the last window ends now)', integer('--start-ms', 0))
    .option('--seq-start <n>', 'sequence number of the first window (default: start-ms / 10000, so replays never reuse window ids)', integer('--seq-start', 0))
    .option('--json', 'print a JSON summary on stdout at the end (sent, unsent and dropped counts included)');
  addDeviceLinkOptions(command)
    .addHelpText(
      'after',
      `\nA trailing part shorter than ${WINDOW_SECONDS} s is not sent (reported). Signals that are not ECG leads are skipped (reported).\nWFDB invalid samples are sent as the baseline (0 mV). Unreadable or unusable files exit with code 2.\n` +
        `${DEVICE_LINK_HELP}\nWithout --realtime every window is history, so none is ever dropped. Exit ${INTERRUPTED_EXIT_CODE} if Ctrl-C left windows unsent.`,
    )
    .action(async (file: string, flags: ReplayFlags) => {
      await runReplayCommand(file, flags);
    });
}

async function runReplayCommand(file: string, flags: ReplayFlags): Promise<void> {
  const signals = interruption();
  let unsent = 0;
  try {
    const wfdb = readWfdbRecord(file);
    const perWindowS = WINDOW_SECONDS;
    const samples = wfdb.adu[0]?.length ?? 0;
    const wholeWindows = Math.floor(samples / (perWindowS * wfdb.header.sampleRateHz));
    const now = Date.now();
    const startMs = flags.startMs ?? (flags.realtime ? now - perWindowS * 1000 : now - wholeWindows * perWindowS * 1000);
    if (startMs < Date.UTC(2000, 0, 1)) throw new BadInputError(`--start-ms ${startMs} is before 2000-01-01; ingestion rejects such windows`);
    const plan = planReplay(wfdb, {
      bedId: flags.bed,
      deviceId: flags.device ?? deviceIdForRecord(wfdb.header.recordName),
      startMs,
      seqStart: flags.seqStart ?? Math.floor(startMs / (perWindowS * 1000)),
    });
    reportPlan(file, plan);
    const bus = await connectDeviceBus('replay', flags.kafka);
    const started = Date.now();
    const bar = plan.windowCount > 1 ? progressBar(plan.windowCount) : null;
    let result: ReplayResult;
    try {
      result = await runReplay(plan, bus, { realtime: flags.realtime ?? false, stop: signals.interrupted, onProgress: (n) => bar?.update(n), link: deviceLink('replay', flags) });
    } finally {
      bar?.stop();
      await closeDeviceBus(bus);
    }
    const first = plan.windowAt(0).window;
    const summary: ReplaySummary = {
      file,
      record: wfdb.header.recordName,
      topic: TOPICS.raw,
      bed_id: first.bed_id,
      device_id: first.device_id,
      sample_rate_hz: plan.sampleRateHz,
      leads: plan.leads.map((l) => ({ name: l.name, label: l.label, gain_adu_per_mv: l.gainAduPerMv, baseline_adu: l.baselineAdu })),
      skipped_signals: plan.skipped,
      windows_total: plan.windowCount,
      seq_first: first.seq,
      dropped_tail_s: Math.round(plan.droppedS * 1000) / 1000,
      realtime: flags.realtime ?? false,
      elapsed_s: Math.round((Date.now() - started) / 100) / 10,
      ...result,
    };
    process.stderr.write(
      `aicrn replay: ${result.windows_published}/${plan.windowCount} windows of ${summary.record} sent as ${summary.bed_id}/${summary.device_id} (seq ${summary.seq_first}..${summary.seq_first + Math.max(0, result.windows_published - 1)}; ${deliveryText(result)})` +
        `${result.invalid_samples ? `, ${result.invalid_samples} invalid samples sent as baseline` : ''}${result.stopped_by === 'signal' ? ', stopped by signal' : ''}\n`,
    );
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (result.stopped_by === 'signal') process.exitCode = INTERRUPTED_EXIT_CODE;
    unsent = result.windows_unsent;
  } catch (error) {
    reportBadInput('replay', error);
  } finally {
    signals.dispose();
  }
  exitIfWindowsAbandoned(unsent);
}

function reportPlan(file: string, plan: ReplayPlan): void {
  const leads = plan.leads.map((l) => (l.label === l.name ? l.name : `${l.label}->${l.name}`)).join(', ');
  process.stderr.write(`aicrn replay: ${file}: ${plan.windowCount} windows of ${WINDOW_SECONDS} s at ${plan.sampleRateHz} Hz, leads ${leads}\n`);
  for (const skipped of plan.skipped) process.stderr.write(`aicrn replay: skipping signal "${skipped.label}": ${skipped.reason}\n`);
  if (plan.droppedSamples > 0) {
    process.stderr.write(`aicrn replay: dropping the last ${plan.droppedS.toFixed(2)} s (${plan.droppedSamples} samples): shorter than one ${WINDOW_SECONDS}-s window\n`);
  }
}

/** A bar with ETA on stderr; without a terminal, a plain progress line every 5 s. */
function progressBar(total: number): SingleBar {
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'aicrn replay |{bar}| {value}/{total} windows | {percentage}% | ETA {eta_formatted}',
    etaBuffer: 50,
    hideCursor: false,
    noTTYOutput: !process.stderr.isTTY,
    notTTYSchedule: 5000,
  });
  bar.start(total, 0);
  return bar;
}
