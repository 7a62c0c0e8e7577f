/** A canvas to draw a digit on with mouse, pen or finger: white strokes on black, as MNIST's digits are. */

/** Stroke width relative to the canvas side: MNIST's strokes are 2-3 pixels of 28. */
const STROKE = 0.08;

export interface Pad {
  /** The drawing as intensities in [0, 1], row-major, canvas-sized. */
  pixels(): Float32Array;
  clear(): void;
}

/** Makes `canvas` a drawing pad; `onChange` runs after every stroke segment and when a stroke ends. */
export function drawingPad(canvas: HTMLCanvasElement, onChange: () => void): Pad {
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => {
    context.fillStyle = 'black';
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  context.strokeStyle = 'white';
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.lineWidth = STROKE * canvas.width;

  /** The pointer's position in canvas pixels (the canvas may be displayed at another size). */
  const at = (event: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) * canvas.width) / rect.width, ((event.clientY - rect.top) * canvas.height) / rect.height];
  };
  let last: [number, number] | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = at(event);
    // A tap leaves a dot.
    context.beginPath();
    context.moveTo(...last);
    context.lineTo(...last);
    context.stroke();
    onChange();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!last) return;
    const next = at(event);
    context.beginPath();
    context.moveTo(...last);
    context.lineTo(...next);
    context.stroke();
    last = next;
    onChange();
  });
  const end = (): void => {
    if (!last) return;
    last = null;
    onChange();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    pixels: () => {
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const out = new Float32Array(canvas.width * canvas.height);
      for (let i = 0; i < out.length; i++) out[i] = data[4 * i]! / 255;
      return out;
    },
    clear,
  };
}
