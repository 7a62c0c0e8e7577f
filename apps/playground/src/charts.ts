/** Live charts of a run, drawn with uPlot: loss, and accuracy, against the training step. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Weight of the newest step in the smoothed curves (an exponential moving average). */
const SMOOTHING = 0.1;
/** Redraw at most this often: a chart redraw costs more than a small training step. */
const REDRAW_MS = 200;

export interface RunCharts {
  /** Adds one training step's loss and batch accuracy. */
  step(step: number, loss: number, accuracy: number): void;
  /** Adds the test accuracy measured after `step`. */
  test(step: number, accuracy: number): void;
  /** Forgets the run shown. */
  reset(): void;
}

function chart(container: HTMLElement, title: string, series: uPlot.Series[], range?: uPlot.Range.MinMax): uPlot {
  return new uPlot(
    {
      title,
      width: container.clientWidth || 480,
      height: 220,
      scales: { x: { time: false }, y: range ? { range } : {} },
      axes: [{ label: 'step' }, {}],
      series: [{ label: 'step' }, ...series],
    },
    [[], ...series.map(() => [])],
    container,
  );
}

export function runCharts(lossContainer: HTMLElement, accuracyContainer: HTMLElement): RunCharts {
  const loss = chart(lossContainer, 'loss', [
    { label: 'training (batch)', stroke: '#cbd5e1' },
    { label: 'training (smoothed)', stroke: '#2563eb', width: 2 },
  ]);
  const accuracy = chart(
    accuracyContainer,
    'accuracy',
    [
      { label: 'training (smoothed)', stroke: '#2563eb', width: 2 },
      { label: 'test', stroke: '#dc2626', width: 2, spanGaps: true, points: { show: true, size: 8 } },
    ],
    [0, 1],
  );
  let columns: { steps: number[]; loss: number[]; smoothLoss: number[]; smoothAccuracy: number[]; test: (number | null)[] };
  let drawn = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = (): void => {
    timer = undefined;
    drawn = performance.now();
    loss.setData([columns.steps, columns.loss, columns.smoothLoss]);
    accuracy.setData([columns.steps, columns.smoothAccuracy, columns.test]);
  };
  const schedule = (): void => {
    timer ??= setTimeout(draw, Math.max(0, REDRAW_MS - (performance.now() - drawn)));
  };
  const smooth = (series: number[], value: number): number => (series.length === 0 ? value : series.at(-1)! + SMOOTHING * (value - series.at(-1)!));
  const reset = (): void => {
    columns = { steps: [], loss: [], smoothLoss: [], smoothAccuracy: [], test: [] };
    schedule();
  };
  reset();
  new ResizeObserver(() => {
    loss.setSize({ width: lossContainer.clientWidth, height: 220 });
    accuracy.setSize({ width: accuracyContainer.clientWidth, height: 220 });
  }).observe(lossContainer);
  return {
    step(step, value, batchAccuracy) {
      columns.smoothLoss.push(smooth(columns.smoothLoss, value));
      columns.smoothAccuracy.push(smooth(columns.smoothAccuracy, batchAccuracy));
      columns.steps.push(step);
      columns.loss.push(value);
      columns.test.push(null);
      schedule();
    },
    test(step, value) {
      const row = columns.steps.lastIndexOf(step);
      if (row >= 0) columns.test[row] = value;
      schedule();
    },
    reset,
  };
}
