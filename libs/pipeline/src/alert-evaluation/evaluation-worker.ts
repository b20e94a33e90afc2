import { parentPort, workerData } from 'node:worker_threads';
import { QtcFormula } from '@aicrn/signal';
import { runBedWindows } from './bed-run';
import { bedWindows, evaluationWard, measurementSetup } from './evaluation-beds';
import { EvaluationBed, EvaluationProfile } from './evaluation-scenarios';

/** What the runner sends a worker thread: the whole plan (so bed ids match) and the beds it runs. */
export interface EvaluationWorkerData {
  beds: EvaluationBed[];
  profile: EvaluationProfile;
  method: string;
  qtcFormula: QtcFormula;
  run: number[];
}

export type EvaluationWorkerMessage =
  | { type: 'window' }
  | { type: 'bed'; index: number; result: Awaited<ReturnType<typeof runBedWindows>> }
  | { type: 'error'; message: string };

async function runAssigned(data: EvaluationWorkerData): Promise<void> {
  const ward = evaluationWard(data.beds, data.profile);
  const measurement = measurementSetup(data.method, data.qtcFormula);
  for (const index of data.run) {
    const bed = ward.beds[index];
    const result = await runBedWindows(bed.bedId, bedWindows(ward, bed, data.beds[index].durationS), {
      measurement,
      onWindow: () => parentPort!.postMessage({ type: 'window' } satisfies EvaluationWorkerMessage),
    });
    parentPort!.postMessage({ type: 'bed', index, result } satisfies EvaluationWorkerMessage);
  }
}

if (parentPort) {
  runAssigned(workerData as EvaluationWorkerData).catch((error: unknown) =>
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies EvaluationWorkerMessage),
  );
}
