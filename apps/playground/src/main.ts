/**
 * The playground page: the backend picker and the two tabs; the digits tab's controls, training
 * loop, charts and drawing pad are wired here, the text tab's in text-tab.ts.
 */
import * as flint from '@flint/core';
import './style.css';
import { probeBackends } from './backends.ts';
import { probabilityBars } from './bars.ts';
import { runCharts } from './charts.ts';
import { toMnist } from './digit.ts';
import { fetchMnist, normalise, type Mnist } from './mnist.ts';
import { createModel, type ModelName } from './models.ts';
import { MOBY_DICK_FILE } from './files.ts';
import { drawingPad } from './pad.ts';
import { byId, messages, readNumber, showMemory } from './page.ts';
import { stepRate } from './rate.ts';
import { publishStatus } from './status.ts';
import { textTab } from './text-tab.ts';
import { train, type TrainOptions } from './trainer.ts';
import { fileName, loadWeights, saveWeights } from './weights.ts';

const status = publishStatus();
const tabs = [byId<HTMLButtonElement>('tab-mnist'), byId<HTMLButtonElement>('tab-text')];
const controls = {
  backend: byId<HTMLSelectElement>('backend'),
  model: byId<HTMLSelectElement>('model'),
  lr: byId<HTMLInputElement>('lr'),
  batchSize: byId<HTMLInputElement>('batch-size'),
  epochs: byId<HTMLInputElement>('epochs'),
  trainSize: byId<HTMLInputElement>('train-size'),
  train: byId<HTMLButtonElement>('train'),
  stop: byId<HTMLButtonElement>('stop'),
  save: byId<HTMLButtonElement>('save'),
  load: byId<HTMLInputElement>('load'),
};
const progress = byId<HTMLProgressElement>('progress');
const charts = runCharts(byId('loss-chart'), byId('accuracy-chart'));
const bars = probabilityBars(byId('bars'));
const seen = byId<HTMLCanvasElement>('seen').getContext('2d')!;

let data: Mnist | undefined;
let model: flint.nn.Sequential | undefined;
let stopRequested = false;

const { say, fail } = messages(byId('message'), status);

/** The tabs now training (or sampling): while there is one, the backend and the tab stay as they are. */
const busy = new Set<'mnist' | 'text'>();

function lock(tab: 'mnist' | 'text', isBusy: boolean): void {
  if (isBusy) busy.add(tab);
  else busy.delete(tab);
  for (const control of [controls.backend, ...tabs]) control.disabled = busy.size > 0;
}

/** Shows the tab of `button`, hiding the other. */
function showTab(button: HTMLButtonElement): void {
  for (const tab of tabs) {
    tab.setAttribute('aria-selected', String(tab === button));
    document.querySelector<HTMLElement>(`[data-tab="${tab.dataset.testid!.slice(4)}"]`)!.hidden = tab !== button;
  }
}

function readOptions(): TrainOptions {
  return {
    lr: readNumber(controls.lr, 'learning rate', false),
    batchSize: readNumber(controls.batchSize, 'batch size', true),
    epochs: readNumber(controls.epochs, 'epochs', true),
    trainSize: readNumber(controls.trainSize, 'training images', true),
    seed: 0,
  };
}

/** Replaces the model (disposing the old one) and says which it is. */
function useModel(next: flint.nn.Sequential, kind: ModelName): void {
  model?.dispose();
  model = next;
  status.model = kind;
  status.backend = flint.getBackendName() ?? null;
  controls.model.value = kind;
  controls.save.disabled = false;
}

function setTraining(training: boolean): void {
  lock('mnist', training);
  for (const control of [controls.model, controls.lr, controls.batchSize, controls.epochs, controls.trainSize, controls.train, controls.load]) {
    control.disabled = training;
  }
  controls.save.disabled = training || !model;
  controls.stop.disabled = !training;
}

async function runTraining(options: TrainOptions): Promise<void> {
  await flint.setBackend(controls.backend.value);
  const kind = controls.model.value as ModelName;
  flint.manualSeed(options.seed);
  useModel(createModel(kind), kind);
  Object.assign(status, { state: 'training', step: 0, totalSteps: 0, losses: [], testAccuracy: [], stepsPerSecond: 0, error: null });
  charts.reset();
  setTraining(true);
  stopRequested = false;
  const rate = stepRate();
  say(`Training the ${kind.toUpperCase()} on ${status.backend}...`);
  try {
    await train(model!, data!, status.backend!, options, {
      onStep: (r) => {
        status.step = r.step;
        status.totalSteps = r.totalSteps;
        status.losses.push(r.loss);
        charts.step(r.step, r.loss, r.accuracy);
        const stepsPerSecond = rate(r.step, r.step === r.totalSteps);
        if (stepsPerSecond === null) return;
        status.stepsPerSecond = stepsPerSecond;
        progress.value = r.step / r.totalSteps;
        byId('step').textContent = `${r.step} / ${r.totalSteps} (epoch ${r.epoch})`;
        byId('steps-per-second').textContent = status.stepsPerSecond.toFixed(1);
        byId('loss').textContent = r.loss.toFixed(4);
        showMemory(byId('memory'));
      },
      onEpoch: (epoch, accuracy) => {
        status.testAccuracy.push(accuracy);
        charts.test(status.step, accuracy);
        byId('test-accuracy').textContent = `${(accuracy * 100).toFixed(2)}% after epoch ${epoch}`;
      },
      stopped: () => stopRequested,
    });
    say(stopRequested ? 'Stopped.' : `Done: ${status.step} steps. Draw a digit!`);
  } finally {
    setTraining(false);
    showMemory(byId('memory'));
  }
  status.state = 'done';
  await predict();
}

let dirty = false;

/** Classifies the drawing with the current model; a change during a prediction runs one more. */
async function predict(): Promise<void> {
  if (status.predicting) {
    dirty = true;
    return;
  }
  status.predicting = true;
  try {
    do {
      dirty = false;
      const image = toMnist(pad.pixels(), 280, 280);
      const preview = seen.createImageData(28, 28);
      image?.forEach((v, i) => preview.data.set([v * 255, v * 255, v * 255, 255], 4 * i));
      seen.putImageData(preview, 0, 0);
      let probabilities: number[] | null = null;
      if (image && model) {
        const device = status.backend!;
        const p = flint.tidy(() => flint.noGrad(() => flint.softmax(model!.forward(flint.tensor(image.map(normalise), { device }).reshape(1, 1, 28, 28)), 1)));
        probabilities = Array.from(await p.data());
        p.dispose();
      }
      bars.show(probabilities);
      status.probabilities = probabilities;
      status.predictions++;
    } while (dirty);
  } finally {
    status.predicting = false;
  }
}

const pad = drawingPad(byId('pad'), () => void predict().catch(fail));

byId('clear').addEventListener('click', () => {
  pad.clear();
  void predict().catch(fail);
});
controls.train.addEventListener('click', () => {
  let options: TrainOptions;
  try {
    options = readOptions();
  } catch (error) {
    // A bad setting is only reported: the model and the charts stay as they are.
    fail(error);
    return;
  }
  runTraining(options).catch((error) => {
    status.state = 'error';
    fail(error);
  });
});
controls.stop.addEventListener('click', () => {
  stopRequested = true;
});
controls.save.addEventListener('click', async () => {
  try {
    const bytes = await saveWeights(model!, status.model!);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    link.download = fileName(status.model!);
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    fail(error);
  }
});
controls.load.addEventListener('change', async () => {
  const file = controls.load.files?.[0];
  if (!file) return;
  try {
    await flint.setBackend(controls.backend.value);
    const { model: loaded, kind } = loadWeights(new Uint8Array(await file.arrayBuffer()), file.name);
    useModel(loaded, kind);
    say(`Loaded ${file.name} (${kind.toUpperCase()}) on ${status.backend}.`);
    await predict();
  } catch (error) {
    fail(error);
  } finally {
    controls.load.value = '';
  }
});

for (const tab of tabs) tab.addEventListener('click', () => showTab(tab));
const text = textTab({ status, backend: () => controls.backend.value, lock: (isBusy) => lock('text', isBusy) });

async function start(): Promise<void> {
  const [mnist, backends] = await Promise.all([fetchMnist(new URL('mnist/', document.baseURI)), probeBackends()]);
  data = mnist;
  status.backends = backends;
  for (const b of backends) {
    controls.backend.add(new Option(b.available ? b.name : `${b.name} (unavailable)`, b.name));
    controls.backend.options[controls.backend.length - 1]!.disabled = !b.available;
  }
  const showDetail = (): void => {
    byId('backend-detail').textContent = backends.find((b) => b.name === controls.backend.value)!.detail;
  };
  controls.backend.addEventListener('change', showDetail);
  controls.backend.value = backends.find((b) => b.available)!.name;
  showDetail();
  controls.trainSize.max = String(mnist.train.count);
  setTraining(false);
  showMemory(byId('memory'));
  say(`MNIST: ${mnist.train.count} training and ${mnist.test.count} test images. Pick a backend and a model, and train.`);
  status.state = 'idle';
}

start().catch((error) => {
  status.state = 'error';
  fail(error);
});
// The book loads alongside; its tab reports its own state.
void text.start(new URL(MOBY_DICK_FILE, document.baseURI));
