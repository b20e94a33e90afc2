// Worker-thread entry for data-parallel training: one TensorFlow.js engine, backend and model copy per thread
// (the wasm backend is single-threaded under Node). Each step it loads the main thread's current weights,
// runs forward + backward on its shard (batch norm synchronised with the other workers) and returns the
// gradients of the shard's scaled loss (regression squared errors, plus the delineation cross-entropy).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { DELINEATION_OUTPUT } from '../aicrn-model';
import { AICRN_INPUT_LEADS } from '../config';
// Registers the custom layers before the topology is deserialised.
import '../layers/channel-attention';
import '../layers/spatial-attention';
import { selectBackend } from '../runtime/backend';
import { scaledLoss, trainingModel, waveTargets } from './training-loss';
import { ShardGroup } from './shard-group';
import { synchroniseBatchNorm } from './sync-batch-norm';
import { FromTrainingWorker, ToTrainingWorker, TrainingWorkerInit, WeightSlot } from './training-worker-protocol';
import { unseedDropout } from './unseed-dropout';

async function serve(): Promise<void> {
  const port = parentPort!;
  const post = (message: FromTrainingWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const init = workerData as TrainingWorkerInit;
  let model: tf.LayersModel;
  let backend: string;
  try {
    backend = (await selectBackend(init.backend)).backend;
    model = await tf.models.modelFromJSON({ modelTopology: init.topology as tf.io.ModelJSON['modelTopology'] });
    assertSameLayout(model, init.layout);
  } catch (error) {
    post({ type: 'init-error', message: (error as Error).message });
    process.exit(1);
  }
  // Dropout masks are drawn here, independently per worker (unseeded, as in single-thread training).
  unseedDropout(model);
  const group = new ShardGroup(init.group, init.workers, init.maxReduceLength);
  synchroniseBatchNorm(model, group);
  // Both outputs whenever the model has a delineation: a step without waves scores the regression alone.
  const trainer = trainingModel(model, model.outputNames.includes(DELINEATION_OUTPUT) ? 1 : 0);
  const weights = [...model.trainableWeights, ...model.nonTrainableWeights];
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const shared = new Float32Array(init.weights);
  const trainableSize = init.layout.filter((s) => s.trainable).reduce((n, s) => n + s.size, 0);
  const steps = model.inputs[0].shape[1] as number;
  // [steps, leads]: the delineation output's shape without batch and classes.
  const waveShapeOf = (model.outputs[model.outputNames.indexOf(DELINEATION_OUTPUT)]?.shape ?? []).slice(1, -1) as number[];

  port.on('message', (message: ToTrainingWorker) => {
    if (message.type === 'close') {
      model.dispose();
      port.close();
      return;
    }
    try {
      group.joinStep(message.rank);
      // slice(): the backend may keep a view of the data, and the shared buffer changes on the next step.
      tf.tidy(() => init.layout.forEach((slot, i) => weights[i].write(tf.tensor(shared.slice(slot.offset, slot.offset + slot.size), slot.shape))));
      const k = message.labels.length / message.windows;
      const { value, grads } = tf.variableGrads(() => {
        const x = tf.tensor3d(message.input, [message.windows, steps, AICRN_INPUT_LEADS.length]);
        const targets = {
          values: tf.tensor2d(message.labels, [message.windows, k]),
          mask: tf.tensor2d(message.mask, [message.windows, k]),
          waves: message.waves ? waveTargets(splitWindows(message.waves, message.windows), waveShapeOf) : null,
        };
        return scaledLoss(trainer.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], targets, message.scales);
      }, trainable);
      const gradients = new Float32Array(trainableSize);
      init.layout.forEach((slot, i) => {
        // No gradient: the loss did not reach this weight this step (the delineation head on a shard without wave classes).
        const gradient = slot.trainable ? grads[trainable[i].name] : undefined;
        if (gradient) gradients.set(gradient.dataSync() as Float32Array, slot.offset);
      });
      const state = new Float32Array(shared.length - trainableSize);
      init.layout.forEach((slot, i) => {
        if (!slot.trainable) state.set(weights[i].read().dataSync() as Float32Array, slot.offset - trainableSize);
      });
      const loss = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
      post({ type: 'result', id: message.id, loss, gradients, state }, [gradients.buffer, state.buffer]);
    } catch (error) {
      post({ type: 'error', id: message.id, message: (error as Error).message });
    }
  });
  post({ type: 'ready', backend });
}

function splitWindows(waves: Uint8Array, windows: number): Uint8Array[] {
  const steps = waves.length / windows;
  return Array.from({ length: windows }, (_, i) => waves.subarray(i * steps, (i + 1) * steps));
}

function assertSameLayout(model: tf.LayersModel, layout: WeightSlot[]): void {
  const own = [...model.trainableWeights, ...model.nonTrainableWeights];
  const mismatch = layout.findIndex((slot, i) => !own[i] || own[i].originalName !== slot.name || JSON.stringify(own[i].shape) !== JSON.stringify(slot.shape));
  if (own.length !== layout.length || mismatch >= 0) throw new Error(`the worker's model weights differ from the main thread's (${own.length} vs ${layout.length} weights, first mismatch at ${mismatch})`);
}

if (!isMainThread && parentPort) void serve();
