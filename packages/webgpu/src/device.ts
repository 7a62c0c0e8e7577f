/** Limits worth raising above WebGPU's defaults when the adapter offers more. */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage',
  'maxDynamicStorageBuffersPerPipelineLayout',
] as const;

/**
 * A device on the best adapter of `gpu`, with the adapter's limits for the ones above. Throws
 * when there is no adapter, and refuses Dawn's null backend, which accepts work but computes
 * nothing. Software rasterisers (lavapipe, SwiftShader: "fallback" adapters) compute correctly and
 * are accepted.
 */
export async function requestDevice(gpu: GPU): Promise<{ device: GPUDevice; adapter: GPUAdapter; adapterName: string }> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error(
      'webgpu: no GPU adapter is available. In Node, a Vulkan driver must be installed (for a software one, ' +
        'see @flint/webgpu/scripts/setup-lavapipe.sh and set VK_DRIVER_FILES); in browsers, WebGPU must be enabled.',
    );
  }
  const info = adapter.info;
  if (info.device === 'null-backend') throw new Error("webgpu: the only adapter is Dawn's null backend, which computes nothing; refusing it");
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredLimits });
  return { device, adapter, adapterName: info.device || info.description || info.architecture || info.vendor || 'unknown adapter' };
}
