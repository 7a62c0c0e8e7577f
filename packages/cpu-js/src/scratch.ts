/** A grow-only reusable buffer, so hot kernels do not allocate their workspace on every call. */
export class Scratch<T extends Float32Array | Float64Array> {
  #buf: T;
  readonly #make: (size: number) => T;

  /** A scratch whose buffers come from `make`. */
  constructor(make: (size: number) => T) {
    this.#make = make;
    this.#buf = make(0);
  }

  /** A buffer of at least `size` elements; contents are whatever the last user left. */
  get(size: number): T {
    if (this.#buf.length < size) this.#buf = this.#make(size);
    return this.#buf;
  }
}
