/**
 * The page's state as one plain object on `window.__playground`, for scripts that drive the page
 * (the browser test waits on it instead of guessing how long things take).
 */
import type { BackendChoice } from './backends.ts';
import type { ModelName } from './models.ts';

export interface PlaygroundStatus {
  /** `loading` until MNIST is fetched and the backends probed. */
  state: 'loading' | 'idle' | 'training' | 'done' | 'error';
  backends: BackendChoice[];
  /** Where the model lives, and which model it is; null before there is one. */
  backend: string | null;
  model: ModelName | null;
  step: number;
  totalSteps: number;
  /** Training loss of every step of the current run. */
  losses: number[];
  /** Test accuracy after each epoch of the current run. */
  testAccuracy: number[];
  stepsPerSecond: number;
  /** Class probabilities of the latest prediction of the drawing (null when nothing is drawn). */
  probabilities: number[] | null;
  /** How many predictions of the drawing were shown: a script waits for it to grow. */
  predictions: number;
  /** True while the drawing is being classified (the shown prediction may be of an older drawing). */
  predicting: boolean;
  /** The last error shown, if any. */
  error: string | null;
}

declare global {
  interface Window {
    __playground: PlaygroundStatus;
  }
}

export function publishStatus(): PlaygroundStatus {
  window.__playground = {
    state: 'loading', backends: [], backend: null, model: null, step: 0, totalSteps: 0, losses: [], testAccuracy: [],
    stepsPerSecond: 0, probabilities: null, predictions: 0, predicting: false, error: null,
  };
  return window.__playground;
}
