/**
 * The page's state as one plain object on `window.__playground`, for scripts that drive the page
 * (the browser test waits on it instead of guessing how long things take).
 */
import type { BackendChoice } from './backends.ts';
import type { ModelName } from './models.ts';

/** The text tab's state. */
export interface TextStatus {
  /** `loading` until the book is fetched. */
  state: 'loading' | 'idle' | 'training' | 'done' | 'error';
  /** The characters the model knows, in id order. */
  vocabulary: string;
  /** Where the model lives; null before there is one. */
  backend: string | null;
  /** Parameters of the model, not counting the position embedding (nanoGPT's count). */
  parameters: number;
  step: number;
  totalSteps: number;
  /** Training loss of every step of the current run. */
  losses: number[];
  stepsPerSecond: number;
  /** The samples shown, oldest first, each with the training step it was drawn after (0: not training). */
  samples: { step: number; prompt: string; text: string }[];
  /** True while a sample is being drawn. */
  sampling: boolean;
}

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
  /** The last error shown, if any, by either tab. */
  error: string | null;
  text: TextStatus;
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
    text: { state: 'loading', vocabulary: '', backend: null, parameters: 0, step: 0, totalSteps: 0, losses: [], stepsPerSecond: 0, samples: [], sampling: false },
  };
  return window.__playground;
}
