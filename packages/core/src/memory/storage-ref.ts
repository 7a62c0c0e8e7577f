import type { Backend, Storage } from '../backend/types.ts';
import { itemSize } from '../tensor/dtype.ts';

/**
 * Shares one backend storage among the tensors that view it. The storage is freed when the last
 * view lets go. `version` counts in-place writes so autograd can detect stale saved tensors.
 */
export class StorageRef {
  private refs = 1;
  version = 0;

  constructor(
    readonly backend: Backend,
    readonly storage: Storage,
  ) {
    live.storages++;
    live.bytes += this.bytes;
  }

  get bytes(): number {
    return this.storage.size * itemSize(this.storage.dtype);
  }

  /** True while exactly one tensor holds this storage. */
  get exclusive(): boolean {
    return this.refs === 1;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) {
      live.storages--;
      live.bytes -= this.bytes;
      this.backend.free(this.storage);
    }
  }
}

/** Count and bytes of the storages some tensor still holds; counters, since a Set costs every op. */
export const live = { storages: 0, bytes: 0 };
