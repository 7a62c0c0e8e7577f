import { describe, expect, it } from 'vitest';
import { create } from 'webgpu';
import { createWebGpuBackend } from '../src/index.ts';

describe('webgpu: adapters', () => {
  it('no adapter is a clear error, not a fallback', async () => {
    const none = { requestAdapter: async () => null } as unknown as GPU;
    await expect(createWebGpuBackend(none)).rejects.toThrow(/webgpu: no GPU adapter is available.*VK_DRIVER_FILES/);
  });

  it("Dawn's null backend, which computes nothing, is refused", async () => {
    await expect(createWebGpuBackend(create(['backend=null']))).rejects.toThrow(/null backend/);
  });
});
