import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm-training-kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendSelection {
  backend: BackendName;
  /** Why faster backends were skipped, for the startup log. */
  skipped: Array<{ backend: BackendName; reason: string }>;
}

let wasmPathsSet = false;

/**
 * Activates the fastest TensorFlow.js backend available: tfjs-node (native libtensorflow) when it can be
 * required, else wasm (XNNPACK, one thread per instance under Node), else the pure-JS cpu backend.
 * `only` restricts the choice (e.g. tests comparing backends). Returns what was chosen so callers can log it.
 */
export async function selectBackend(only?: BackendName): Promise<BackendSelection> {
  const candidates = only ? [only] : BACKEND_PREFERENCE;
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of candidates) {
    const reason = await tryActivate(backend);
    if (reason === null) return { backend, skipped };
    skipped.push({ backend, reason });
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/** null when the backend is active, else why it is not. */
async function tryActivate(backend: BackendName): Promise<string | null> {
  try {
    if (backend === 'tensorflow') {
      // Optional native backend: not a dependency (its install needs a download this environment cannot make).
      require('@tensorflow/tfjs-node');
    } else if (backend === 'wasm') {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      if (!wasmPathsSet) {
        wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
        wasmPathsSet = true;
      }
    }
    const ok = await tf.setBackend(backend);
    if (!ok) return 'setBackend returned false';
    await tf.ready();
    if (backend === 'wasm') registerWasmTrainingKernels();
    return null;
  } catch (error) {
    return ((error as Error).message ?? String(error)).split('\n')[0];
  }
}
