import { fork } from 'node:child_process';
import { join } from 'node:path';
import { bundleChild } from '../infra';

jest.setTimeout(120_000);

interface WorkerOutcome {
  done?: { cases: number; decoded: number; codes: Record<string, number> };
  failure?: string;
}

/** Runs one fuzz target in a child process with a 256 MB heap, failing on a non-DecodeError, an OOM or 10 s without progress. */
function fuzzInChild(target: 'random' | 'block-counts', numRuns: number): Promise<WorkerOutcome> {
  const file = bundleChild(join(__dirname, 'avro-decode.fuzz-child.ts'));
  return new Promise((resolve) => {
    const worker = fork(file, [JSON.stringify({ numRuns, seed: 20261125, target })], { execArgv: ['--max-old-space-size=256'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let outOfMemory = false;
    worker.stderr!.on('data', (chunk: Buffer) => (outOfMemory ||= chunk.toString().includes('heap out of memory')));
    let last = 'no case started';
    let watchdog: NodeJS.Timeout;
    const finish = (outcome: WorkerOutcome) => {
      clearTimeout(watchdog);
      worker.kill('SIGKILL');
      resolve(outcome);
    };
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => finish({ failure: `decoder hung for 10 s on ${last}` }), 10_000);
    };
    arm();
    worker.on('message', (message: { type: string } & Record<string, unknown>) => {
      if (message.type === 'case') {
        last = `${message.topic} record of ${message.length} bytes starting ${message.head}`;
        arm();
      } else if (message.type === 'done') finish({ done: message as unknown as WorkerOutcome['done'] });
      else finish({ failure: String(message.message) });
    });
    // 'close' (not 'exit'): it comes after the IPC channel has delivered every message the child sent.
    worker.on('close', (code, signal) => finish({ failure: `decoder crashed the process (exit ${code ?? signal}${outOfMemory ? ', JavaScript heap out of memory' : ''}) on ${last}` }));
  });
}

describe('fuzz: Confluent-framed Avro decoding (TopicCodec)', () => {
  it('answers 10,000 random, truncated, mutated, foreign and oversized frames with a value or a DecodeError', async () => {
    const outcome = await fuzzInChild('random', 10_000);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.done!.cases).toBe(10_000);
    expect(outcome.done!.codes.undecodable).toBeGreaterThan(1000);
    expect(outcome.done!.codes.unknown_schema).toBeGreaterThan(100);
  });

  it('answers Avro block counts far beyond the bytes left with a DecodeError, without allocating for them', async () => {
    const outcome = await fuzzInChild('block-counts', 2_000);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.done!.cases).toBe(2_000);
  });
});
