/**
 * PyTorch as a reference system: Debian's python3-torch on OpenBLAS, in a Python process of its
 * own (systems/pytorch_child.py) that this adapter starts, hands the workload's arrays and drives
 * over JSON lines. The Python side times its own steps, so no message passing falls inside a sample.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { models } from '../models.ts';
import type { Timing } from '../timing.ts';
import type { WorkloadData } from '../workloads.ts';
import { Unavailable, type Adapter, type RemoteInstance } from './adapter.ts';

const PYTHON = '/usr/bin/python3';
const CHILD = fileURLToPath(new URL('./pytorch_child.py', import.meta.url));
const SETUP = fileURLToPath(new URL('../../scripts/setup-pytorch.sh', import.meta.url));
const OPENBLAS_DIR = fileURLToPath(new URL('../../../../.cache/openblas', import.meta.url));

/** Installs what PyTorch needs (python3-torch, OpenBLAS unpacked) and returns OpenBLAS's library folder. */
function setUp(): string {
  try {
    return execFileSync('bash', [SETUP], { env: { ...process.env, DEST: OPENBLAS_DIR, PYTHON }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Unavailable(stderr || `scripts/setup-pytorch.sh failed: ${(error as Error).message}`);
  }
}

/**
 * The environment of the Python process: OpenBLAS first on the library path; this machine's
 * OpenBLAS tuning variables removed (its Haswell core type halves OpenBLAS here); glibc's malloc
 * told to keep freed memory, else page faults on fresh mmaps dominate the small workloads.
 */
function childEnv(openblas: string, threads: number): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...env } = process.env;
  return {
    ...env,
    LD_LIBRARY_PATH: [openblas, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    OMP_NUM_THREADS: String(threads),
    GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296',
  };
}

type Array32 = Float32Array | Int32Array;

/** Writes the arrays as a safetensors file, the job description as JSON in its metadata. */
function writeArrays(path: string, job: object, arrays: Record<string, Array32>): void {
  const header: Record<string, unknown> = { __metadata__: { job: JSON.stringify(job) } };
  let offset = 0;
  for (const [name, values] of Object.entries(arrays)) {
    header[name] = { dtype: values instanceof Float32Array ? 'F32' : 'I32', shape: [values.length], data_offsets: [offset, offset + values.byteLength] };
    offset += values.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([size, json, ...Object.values(arrays).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]));
}

/** The workload as the Python side reads it: its description, and its arrays by name. */
function describe(data: WorkloadData): { job: object; arrays: Record<string, Array32> } {
  switch (data.kind) {
    case 'matmul': return { job: { kind: data.kind, n: data.n, threads: data.threads }, arrays: { a: data.a, b: data.b } };
    case 'add':
    case 'add-into': return { job: { kind: data.kind, threads: 1 }, arrays: { a: data.a, b: data.b } };
    case 'train': {
      const name = Object.entries(models).find(([, m]) => m === data.model)?.[0];
      const arrays: Record<string, Array32> = { x: data.x, y: data.y };
      data.params.forEach(([w, b], i) => Object.assign(arrays, { [`w${i}`]: w!, [`b${i}`]: b! }));
      return { job: { kind: data.kind, name, model: data.model, batch: data.batch, lr: data.lr, paramCount: data.params.length, threads: 1 }, arrays };
    }
    case 'gpt':
    case 'lstm': {
      const { x, y, ...config } = data;
      return { job: config, arrays: { x, y } };
    }
    case 'dataloader': throw new Unavailable('the dataloader workload measures flint.data.DataLoader');
  }
}

interface Reply { type: string; [key: string]: unknown }

/** One Python process and its JSON-lines conversation. */
class PythonChild {
  private readonly replies: AsyncIterator<string>;
  private readonly stderr: string[] = [];

  constructor(private readonly process: ChildProcess) {
    this.replies = createInterface({ input: process.stdout! })[Symbol.asyncIterator]();
    process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  async request(message: object): Promise<Reply> {
    this.process.stdin!.write(`${JSON.stringify(message)}\n`);
    const line = await this.replies.next();
    if (line.done) throw new Error(`the PyTorch process exited: ${this.stderr.join('').slice(-2000)}`);
    const reply = JSON.parse(line.value) as Reply;
    if (reply.type === 'error') throw new Error(`PyTorch: ${String(reply.message)}`);
    return reply;
  }

  exit(): void {
    this.process.stdin!.end(`${JSON.stringify({ type: 'exit' })}\n`);
  }
}

async function prepare(data: WorkloadData, openblas: string): Promise<RemoteInstance> {
  const { job, arrays } = describe(data);
  const dir = mkdtempSync(join(tmpdir(), 'flint-bench-pytorch-'));
  const input = join(dir, 'workload.safetensors');
  writeArrays(input, job, arrays);
  const threads = (job as { threads: number }).threads;
  const child = new PythonChild(spawn(PYTHON, [CHILD, input], { env: childEnv(openblas, threads), stdio: ['pipe', 'pipe', 'pipe'] }));
  const hasResult = data.kind === 'matmul' || data.kind === 'add' || data.kind === 'add-into';
  return {
    remote: true,
    async warmUp(timing: Timing) {
      const reply = await child.request({ type: 'warmup', warmupMs: timing.warmupMs, sampleMs: timing.sampleMs });
      return { steps: reply.steps as number, iterations: reply.iterations as number };
    },
    async sample(iterations: number, values: number[]) {
      const reply = await child.request({ type: 'sample', iterations });
      // Non-finite losses arrive as null and fail verification as NaN.
      values.push(...(reply.values as (number | null)[]).map((v) => v ?? Number.NaN));
      return reply.seconds as number;
    },
    result: hasResult
      ? async () => {
        const path = join(dir, 'result.f32');
        await child.request({ type: 'result', path });
        const bytes = readFileSync(path);
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      }
      : undefined,
    dispose() {
      child.exit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function createPytorch(): Adapter {
  const openblas = setUp();
  const version = execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
  return { detail: `torch ${version}, OpenBLAS (OpenMP)`, prepare: (data) => prepare(data, openblas) };
}
