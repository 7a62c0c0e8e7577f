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
    liveStorages.add(this);
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
      liveStorages.delete(this);
      this.backend.free(this.storage);
    }
  }
}

/** Every storage some tensor still holds; `memory()` sums over it. */
export const liveStorages = new Set<StorageRef>();
