/** Live charts of a run, drawn with uPlot against the training step: loss, and accuracy. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Weight of the newest step in the smoothed curves (an exponential moving average). */
const SMOOTHING = 0.1;
/** Redraw at most this often: a chart redraw costs more than a small training step. */
const REDRAW_MS = 200;
const HEIGHT = 220;

/** A chart whose columns (steps, then one per series) grow as a run goes. */
interface LiveChart {
  /** The data: `columns[0]` the steps, then one column per series. Call `changed()` after editing. */
  columns: (number | null)[][];
  /** Schedules a redraw (at most one per REDRAW_MS). */
  changed(): void;
  /** Empties the columns. */
  reset(): void;
}

function liveChart(container: HTMLElement, title: string, series: uPlot.Series[], range?: uPlot.Range.MinMax): LiveChart {
  const plot = new uPlot(
    {
      title,
      width: container.clientWidth || 480,
      height: HEIGHT,
      scales: { x: { time: false }, y: range ? { range } : {} },
      axes: [{ label: 'step' }, {}],
      series: [{ label: 'step' }, ...series],
    },
    [[], ...series.map(() => [])],
    container,
  );
  let drawn = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const chart: LiveChart = {
    columns: [],
    changed() {
      timer ??= setTimeout(() => {
        timer = undefined;
        drawn = performance.now();
        plot.setData(chart.columns as uPlot.AlignedData);
      }, Math.max(0, REDRAW_MS - (performance.now() - drawn)));
    },
    reset() {
      chart.columns = [[], ...series.map(() => [])];
      chart.changed();
    },
  };
  chart.reset();
  new ResizeObserver(() => plot.setSize({ width: container.clientWidth, height: HEIGHT })).observe(container);
  return chart;
}

/** The newest value of an exponential moving average over `series` with `value` added. */
const smooth = (series: (number | null)[], value: number): number => (series.length === 0 ? value : series.at(-1)! + SMOOTHING * (value - series.at(-1)!));

export interface LossChart {
  /** Adds one training step's loss. */
  step(step: number, loss: number): void;
  /** Forgets the run shown. */
  reset(): void;
}

/** The training loss of every batch, and its moving average. */
export function lossChart(container: HTMLElement): LossChart {
  const chart = liveChart(container, 'loss', [
    { label: 'training (batch)', stroke: '#cbd5e1' },
    { label: 'training (smoothed)', stroke: '#2563eb', width: 2 },
  ]);
  return {
    step(step, loss) {
      const [steps, batch, smoothed] = chart.columns as [number[], number[], number[]];
      smoothed.push(smooth(smoothed, loss));
      steps.push(step);
      batch.push(loss);
      chart.changed();
    },
    reset: () => chart.reset(),
  };
}

export interface RunCharts {
  /** Adds one training step's loss and batch accuracy. */
  step(step: number, loss: number, accuracy: number): void;
  /** Adds the test accuracy measured after `step`. */
  test(step: number, accuracy: number): void;
  /** Forgets the run shown. */
  reset(): void;
}

/** A classifier's run: the loss chart, and one of the training accuracy (smoothed) and the test accuracy. */
export function runCharts(lossContainer: HTMLElement, accuracyContainer: HTMLElement): RunCharts {
  const loss = lossChart(lossContainer);
  const accuracy = liveChart(
    accuracyContainer,
    'accuracy',
    [
      { label: 'training (smoothed)', stroke: '#2563eb', width: 2 },
      { label: 'test', stroke: '#dc2626', width: 2, spanGaps: true, points: { show: true, size: 8 } },
    ],
    [0, 1],
  );
  return {
    step(step, value, batchAccuracy) {
      loss.step(step, value);
      const [steps, smoothed, test] = accuracy.columns as [number[], number[], (number | null)[]];
      smoothed.push(smooth(smoothed, batchAccuracy));
      steps.push(step);
      test.push(null);
      accuracy.changed();
    },
    test(step, value) {
      const row = accuracy.columns[0]!.lastIndexOf(step);
      if (row >= 0) accuracy.columns[2]![row] = value;
      accuracy.changed();
    },
    reset() {
      loss.reset();
      accuracy.reset();
    },
  };
}
