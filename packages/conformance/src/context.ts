/** What every suite receives: the backend under test, already started. */
export interface SuiteContext {
  /** Canonical backend name; tensors are created on it with `{ device: name }`. */
  readonly name: string;
  /** A second, trusted backend (normally cpu-js) that every case is also run on and compared with. */
  readonly reference?: string;
  /** The backend's fused kernels must equal its composed path bit for bit (`ConformanceOptions.fusedExact`). */
  readonly fusedExact?: boolean;
}
