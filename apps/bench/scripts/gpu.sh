#!/usr/bin/env bash
# On a machine with a real GPU and its Vulkan driver: flint-webgpu's matmul at 1024, 2048 and 4096
# (GFLOP/s) and the gpt training step at widths 128 and 256 (steps/s), with the dispatches and
# submits one step costs. Prints the adapter first, and stops if it is a software driver, whose
# numbers would say nothing about the GPU.
#   bash apps/bench/scripts/gpu.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
export TURBO_TELEMETRY_DISABLED=1
pnpm() { npx -y pnpm@12.4.2 "$@"; }

[ -d node_modules ] || pnpm install --frozen-lockfile
adapter=$(cd packages/webgpu && node --input-type=module -e "
  import { create } from 'webgpu';
  const a = await create([]).requestAdapter({ powerPreference: 'high-performance' });
  console.log(a ? [a.info.vendor, a.info.architecture, a.info.device, a.info.description].filter(Boolean).join(' ') : 'none');
  process.exit(0);")
echo "adapter: ${adapter}"
case "${adapter}" in
  none|*llvmpipe*|*SwiftShader*|*swiftshader*|*null*) echo "no hardware GPU adapter (got: ${adapter}); unset VK_DRIVER_FILES or install the GPU's Vulkan driver" >&2; exit 1 ;;
esac
pnpm bench --quick --backends flint-webgpu --workloads matmul --sizes 1024,2048,4096
pnpm bench --quick --backends flint-webgpu --workloads gpt --sizes 128,256
