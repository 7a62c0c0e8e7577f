/**
 * How a kernel's WGSL meets the runtime's bind groups. Kernels are written (with `bindings()` of
 * wgsl.ts) as if each tensor had a buffer of its own and the parameters a storage array `p`. The
 * runtime instead binds windows of shared buffers at dynamic offsets (see bindings.ts), which lets a
 * few bind groups serve every dispatch; the parameters of all dispatches of a submit share one
 * uniform ring, each dispatch's words at their own dynamic offset. Uniform, because drivers allow
 * as few as four dynamic storage bindings, all of which the data may need.
 *
 * Two windows of one buffer can be bound in one dispatch only if both are writable (WebGPU forbids
 * a buffer bound both read-only and writable), so every data binding becomes `read_write`; and
 * writable windows must not overlap, so a tensor bound twice (`x * x`) is bound once, the kernel
 * reading the second binding's name from the first.
 */

/** Bytes of parameters one dispatch may have: the uniform window each dispatch sees. */
export const PARAM_WINDOW_BYTES = 4 << 10;

export interface KernelLayout {
  readonly source: string;
  /** The data bindings left, in order (after `aliases` went). */
  readonly bindings: readonly number[];
}

/** The declarations `bindings()` in wgsl.ts writes. */
const PARAMS = '@group(0) @binding(0) var<storage, read> p: array<u32>;';
const DATA = /@group\(0\) @binding\(([1-9]\d*)\) var<storage, (?:read|read_write)> (\w+): [^;]*;/g;
const IDENTIFIER = /[A-Za-z0-9_]/;

/**
 * `source` rewritten for the runtime's bindings; `aliases` maps a data binding to an earlier one
 * that binds the same tensor.
 */
export function kernelLayout(source: string, aliases: ReadonlyMap<number, number>): KernelLayout {
  if (!source.includes(PARAMS)) throw new Error('webgpu: a kernel without the parameter binding p');
  const names = new Map<number, string>();
  for (const [, binding, name] of source.matchAll(DATA)) names.set(Number(binding), name!);
  // Comments go first: they may hold unbalanced brackets.
  let code = source.replace(/\/\/[^\n]*/g, '').replace(DATA, (declaration, binding: string) =>
    aliases.has(Number(binding)) ? '' : declaration.replace('var<storage, read>', 'var<storage, read_write>'),
  );
  for (const [binding, target] of aliases) {
    code = code.replace(new RegExp(`(?<![\\w.])${names.get(binding)}\\[`, 'g'), `${names.get(target)}[`);
  }
  code = code.replace(
    PARAMS,
    `@group(0) @binding(0) var<uniform> paramBlock: array<vec4u, ${PARAM_WINDOW_BYTES / 16}>;
fn paramWord(i: u32) -> u32 { return paramBlock[i >> 2u][i & 3u]; }`,
  );
  const bindings = [...names.keys()].filter((binding) => !aliases.has(binding));
  return { source: rewriteParams(code), bindings };
}

/** `text` with each `p[index]` turned into `paramWord(index)`. */
function rewriteParams(text: string): string {
  let out = '';
  let i = 0;
  for (let open = text.indexOf('p[', i); open >= 0; open = text.indexOf('p[', i)) {
    if (open > 0 && (IDENTIFIER.test(text[open - 1]!) || text[open - 1] === '.')) {
      out += text.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    const close = matching(text, open + 1);
    out += `${text.slice(i, open)}paramWord(${rewriteParams(text.slice(open + 2, close))})`;
    i = close + 1;
  }
  return out + text.slice(i);
}

/** The index of the `]` closing the `[` at `open`. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '[') depth++;
    else if (text[j] === ']' && --depth === 0) return j;
  }
  throw new Error(`webgpu: unbalanced brackets in a kernel at ${open}`);
}
