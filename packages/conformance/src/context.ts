/** What every suite receives: the backend under test, already started. */
export interface SuiteContext {
  /** Canonical backend name; tensors are created on it with `{ device: name }`. */
  readonly name: string;
}
