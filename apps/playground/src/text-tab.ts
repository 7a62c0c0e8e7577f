/**
 * The text tab: trains char-gpt's character transformer on Moby Dick in the page, charts the loss,
 * and samples text with a temperature and top-k, every so many steps and on demand.
 */
import * as flint from '@flint/core';
import { GPT, sampleText } from '@flint/example-char-gpt/model';
import { lossChart } from './charts.ts';
import { byId, messages, readNumber, showMemory } from './page.ts';
import { pacer } from './pacing.ts';
import { stepRate } from './rate.ts';
import type { PlaygroundStatus } from './status.ts';
import { fetchText, type TextData } from './text-data.ts';
import { TEXT_MODEL, trainText, type TextTrainOptions } from './text-trainer.ts';

/** Characters generated before the sample shown grows by them. */
const SAMPLE_CHUNK = 8;

export interface TextTabContext {
  readonly status: PlaygroundStatus;
  /** The backend picked in the page's toolbar. */
  backend(): string;
  /** Keeps the backend and the tab from changing while a run or a sample is under way. */
  lock(busy: boolean): void;
}

export function textTab({ status, backend, lock }: TextTabContext): { start(url: URL): Promise<void> } {
  const text = status.text;
  const controls = {
    lr: byId<HTMLInputElement>('text-lr'),
    batchSize: byId<HTMLInputElement>('text-batch-size'),
    steps: byId<HTMLInputElement>('text-steps'),
    sampleEvery: byId<HTMLInputElement>('text-sample-every'),
    prompt: byId<HTMLInputElement>('text-prompt'),
    length: byId<HTMLInputElement>('text-length'),
    temperature: byId<HTMLInputElement>('text-temperature'),
    topK: byId<HTMLInputElement>('text-top-k'),
    train: byId<HTMLButtonElement>('text-train'),
    stop: byId<HTMLButtonElement>('text-stop'),
    sample: byId<HTMLButtonElement>('text-sample'),
  };
  const progress = byId<HTMLProgressElement>('text-progress');
  const output = byId('text-sample-output');
  const chart = lossChart(byId('text-loss-chart'));
  const { say, fail } = messages(byId('text-message'), status);
  let data: TextData | undefined;
  let model: GPT | undefined;
  let stopRequested = false;
  let sampleRequested = false;

  /** The model's size, with its parameter count once a model is built. */
  const describeModel = (): void => {
    const { nLayer, nHead, nEmbd, blockSize } = TEXT_MODEL;
    const count = text.parameters > 0 ? `; ${text.parameters.toLocaleString('en')} parameters` : '';
    byId('text-model').textContent = `GPT: ${nLayer} layers, ${nHead} heads, width ${nEmbd}, context ${blockSize}${count}.`;
  };

  const readTraining = (): TextTrainOptions & { sampleEvery: number } => ({
    lr: readNumber(controls.lr, 'learning rate', false),
    batchSize: readNumber(controls.batchSize, 'batch size', true),
    steps: readNumber(controls.steps, 'steps', true),
    sampleEvery: readNumber(controls.sampleEvery, 'sample every', true),
    seed: 0,
  });

  const refresh = (): void => {
    const training = text.state === 'training';
    // A new run replaces the model, so it waits for a sample being drawn from the old one.
    for (const control of [controls.lr, controls.batchSize, controls.steps, controls.sampleEvery, controls.train]) control.disabled = training || text.sampling || !data;
    controls.stop.disabled = !training;
    controls.sample.disabled = !model || text.sampling;
    lock(training || text.sampling);
  };

  /** Draws a sample with the settings under the Sample button, the text growing as it comes; `step` names when. */
  async function drawSample(step: number): Promise<void> {
    const prompt = controls.prompt.value;
    const length = readNumber(controls.length, 'sample length', true);
    const options = { temperature: readNumber(controls.temperature, 'temperature', false), topK: readNumber(controls.topK, 'top-k', true), chunk: SAMPLE_CHUNK };
    text.sampling = true;
    refresh();
    byId('text-sample-step').textContent = step > 0 ? `after step ${step}:` : 'from the trained model:';
    output.textContent = prompt;
    let sampled = '';
    const pace = pacer();
    try {
      for await (const piece of sampleText(model!, data!.vocab, prompt, length, options)) {
        sampled += piece;
        output.textContent += piece;
        await pace();
      }
      text.samples.push({ step, prompt, text: sampled });
    } finally {
      text.sampling = false;
      refresh();
    }
  }

  async function runTraining(options: TextTrainOptions & { sampleEvery: number }): Promise<void> {
    await flint.setBackend(backend());
    // getBatch draws the windows' offsets on cpu-js, whichever backend trains.
    await flint.startBackend('cpu');
    const device = flint.getBackendName()!;
    flint.manualSeed(options.seed);
    model?.dispose();
    model = new GPT({ ...TEXT_MODEL, vocabSize: data!.vocab.size });
    text.parameters = model.numParams();
    describeModel();
    Object.assign(text, { state: 'training', backend: device, step: 0, totalSteps: options.steps, losses: [], stepsPerSecond: 0, samples: [] });
    status.error = null;
    chart.reset();
    stopRequested = false;
    sampleRequested = false;
    refresh();
    say(`Training on ${device}...`);
    const rate = stepRate();
    try {
      await trainText(model, data!.train, device, options, {
        onStep: async (r) => {
          text.step = r.step;
          text.losses.push(r.loss);
          chart.step(r.step, r.loss);
          const stepsPerSecond = rate(r.step, r.step === r.totalSteps);
          if (stepsPerSecond !== null) {
            text.stepsPerSecond = stepsPerSecond;
            progress.value = r.step / r.totalSteps;
            byId('text-step').textContent = `${r.step} / ${r.totalSteps}`;
            byId('text-steps-per-second').textContent = stepsPerSecond.toFixed(1);
            byId('text-loss').textContent = r.loss.toFixed(4);
            showMemory(byId('text-memory'));
          }
          if (sampleRequested || (options.sampleEvery > 0 && r.step % options.sampleEvery === 0)) {
            sampleRequested = false;
            // A bad sample setting is reported; the run goes on.
            await drawSample(r.step).catch(fail);
          }
        },
        stopped: () => stopRequested,
      });
      say(stopRequested ? `Stopped after ${text.step} steps.` : `Done: ${text.step} steps, loss ${text.losses.at(-1)!.toFixed(3)}. Sample away!`);
      text.state = 'done';
    } finally {
      if (text.state === 'training') text.state = 'error';
      refresh();
      showMemory(byId('text-memory'));
    }
  }

  controls.train.addEventListener('click', () => {
    let options: ReturnType<typeof readTraining>;
    try {
      options = readTraining();
    } catch (error) {
      // A bad setting is only reported: the model and the chart stay as they are.
      fail(error);
      return;
    }
    runTraining(options).catch(fail);
  });
  controls.stop.addEventListener('click', () => {
    stopRequested = true;
  });
  controls.sample.addEventListener('click', () => {
    if (text.state === 'training') sampleRequested = true;
    else drawSample(0).catch(fail);
  });

  return {
    async start(url) {
      try {
        data = await fetchText(url);
      } catch (error) {
        text.state = 'error';
        fail(error);
        return;
      }
      text.vocabulary = data.vocab.chars.join('');
      controls.topK.max = String(data.vocab.size);
      describeModel();
      say(`Moby Dick: ${data.length.toLocaleString('en')} characters, ${data.vocab.size} distinct; training on the first 90%.`);
      text.state = 'idle';
      refresh();
    },
  };
}
