/** Small helpers both tabs of the page use: finding elements, reading number inputs, showing memory. */
import * as flint from '@flint/core';

/** The element whose `data-testid` is `id`. */
export const byId = <T extends HTMLElement>(id: string): T => document.querySelector<T>(`[data-testid="${id}"]`)!;

/** A number from `input`, integer when asked, within its min and max; else an error naming it. */
export function readNumber(input: HTMLInputElement, name: string, integer: boolean): number {
  const value = Number(input.value);
  const [min, max] = [Number(input.min), Number(input.max)];
  if (input.value.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new Error(`${name} should be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${input.value || 'nothing'}`);
  }
  return value;
}

/** Writes `flint.memory()` (live tensors, bytes in all and per backend) into `element`. */
export function showMemory(element: HTMLElement): void {
  const m = flint.memory();
  const perBackend = Object.entries(m.backends).map(([name, b]) => `${name} ${(b.bytes / 2 ** 20).toFixed(1)} MB`);
  element.textContent = `${m.tensors} tensors, ${(m.bytes / 2 ** 20).toFixed(1)} MB (${perBackend.join(', ')})`;
}

/** Where a tab tells the visitor what happens: a line of text, and errors also into the page's status. */
export interface Messages {
  say(message: string): void;
  /** Shows `error` and records it as the page's last error. */
  fail(error: unknown): void;
}

export function messages(element: HTMLElement, status: { error: string | null }): Messages {
  const say = (message: string): void => {
    element.textContent = message;
  };
  return {
    say,
    fail(error) {
      status.error = error instanceof Error ? error.message : String(error);
      say(`Error: ${status.error}`);
    },
  };
}
