import { Command, InvalidArgumentError, Option } from 'commander';
import { reportBadInput } from './bad-input';
import { interruption } from './device-feed';
import { addDeviceLinkOptions, DEVICE_LINK_HELP, deviceLink, DeviceLinkFlags } from './device-link-options';
import { deliveryText } from './device-outbox';
import { closeDeviceBus, connectDeviceBus, exitIfWindowsAbandoned } from './kafka-device-bus';
import { runSimulation, SimulateOptions, SimulateProgress } from './simulate-run';

interface SimulateFlags extends DeviceLinkFlags {
  beds: number;
  kafka?: string;
  seed: number;
  backfillS: number;
  durationS?: number;
  realtime?: boolean;
  fast?: boolean;
  json?: boolean;
}

const integer = (name: string, min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
  return n;
};

const FAST_DEFAULT_DURATION_S = 600;

/** `aicrn simulate`: N simulated bedside monitors publishing 10-s 12-lead windows to Kafka. */
export function registerSimulateCommand(program: Command): void {
  const command = program
    .command('simulate')
    .description('simulated bedside monitors: 10-s 12-lead windows to ecg.raw.v1 (key = bed id) on Kafka, Avro with Confluent framing')
    .option('--beds <n>', 'number of beds (bed-01 ... bed-NN)', integer('--beds', 1, 500), 8)
    .option('--kafka <brokers>', 'Kafka brokers host:port[,host:port] (default env KAFKA_BROKERS; SASL/TLS/KAFKA_IDEMPOTENT from env)')
    .option('--seed <s>', 'scenario seed (same seed = same signals)', integer('--seed', 0, 2 ** 31 - 1), 1)
    .option('--backfill-s <s>', 'realtime: start the beds this many seconds in the past and send that history at once', integer('--backfill-s', 0, 7 * 24 * 3600), 0)
    .option('--duration-s <s>', `scenario seconds per bed to publish, then exit (realtime default: until Ctrl-C; --fast default ${FAST_DEFAULT_DURATION_S})`, integer('--duration-s', 10, 7 * 24 * 3600))
    .addOption(new Option('--realtime', 'one window per bed every 10 s (default)').conflicts('fast'))
    .addOption(new Option('--fast', 'publish the whole --duration-s as fast as possible, timestamps in the past (last window ends now)').conflicts('realtime'))
    .option('--json', 'print a JSON summary on stdout at the end (sent, unsent and dropped counts included)');
  addDeviceLinkOptions(command)
    .addHelpText('after', `\nProgress goes to stderr.\n${DEVICE_LINK_HELP}\nAfter Ctrl-C the summary is printed (exit 0).\nAgainst the librdkafka mock cluster set KAFKA_IDEMPOTENT=false.`)
    .action(async (flags: SimulateFlags) => {
      await runSimulateCommand(flags);
    });
}

async function runSimulateCommand(flags: SimulateFlags): Promise<void> {
  const options: SimulateOptions = {
    beds: flags.beds,
    seed: flags.seed,
    backfillS: flags.backfillS,
    durationS: flags.durationS ?? (flags.fast ? FAST_DEFAULT_DURATION_S : null),
    mode: flags.fast ? 'fast' : 'realtime',
  };
  const signals = interruption();
  let unsent = 0;
  try {
    if (flags.fast && flags.backfillS > 0) throw new RangeError('--backfill-s applies to --realtime; with --fast every window is already history (use --duration-s)');
    const bus = await connectDeviceBus('simulate', flags.kafka);
    process.stderr.write(`aicrn simulate: ${options.beds} beds, seed ${options.seed}, ${options.mode}${options.durationS === null ? ' until Ctrl-C' : `, ${options.durationS} s of scenario time`}\n`);
    try {
      const link = deviceLink('simulate', flags);
      const summary = await runSimulation(options, bus, { stop: signals.interrupted, onProgress: (p) => writeProgress(options, p), link });
      process.stderr.write(`aicrn simulate: ${deliveryText(summary)} (${summary.scenario_s} s per bed) in ${summary.elapsed_s} s${summary.stopped_by === 'signal' ? ', stopped by signal' : ''}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      unsent = summary.windows_unsent;
    } finally {
      await closeDeviceBus(bus);
    }
  } catch (error) {
    reportBadInput('simulate', error);
  } finally {
    signals.dispose();
  }
  exitIfWindowsAbandoned(unsent);
}

function writeProgress(options: SimulateOptions, progress: SimulateProgress): void {
  const rate = progress.elapsed_ms > 0 ? (progress.windows / progress.elapsed_ms) * 1000 : 0;
  const of = options.durationS === null ? '' : ` of ${Math.floor(options.durationS / 10) * 10}`;
  process.stderr.write(`aicrn simulate: ${progress.windows} windows, ${progress.scenario_s}${of} s per bed, ${rate.toFixed(1)} windows/s\n`);
}
