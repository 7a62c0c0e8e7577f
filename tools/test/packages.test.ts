/**
 * The published packages as a user would install them: each is packed as `pnpm publish` would pack
 * it, linted by publint and are-the-types-wrong, checked for the fields a registry page and a
 * bundler rely on, and installed into a small consumer app that must type-check, without
 * skipLibCheck, under TypeScript 5 and 7, with bundler and node16 resolution, as ESM and CJS.
 * Last, `changeset publish` is rehearsed as a dry run against a local port that nothing may reach.
 * It reads the built dist/ folders: run `pnpm build` first (CI does).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['core', 'cpu-js', 'wasm-simd', 'webgpu', 'onnx'] as const;
type Name = (typeof PACKAGES)[number];

const work = mkdtempSync(join(tmpdir(), 'flint-packages-'));
const tarballs = new Map<Name, Buffer>();

/** Packs `packages/<name>` with pnpm (publishConfig applied, workspace: versions replaced). */
function pack(name: Name): Buffer {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'dist', 'index.js'))) throw new Error(`packages/${name}/dist is missing: run \`pnpm build\` before this test`);
  const out = join(work, 'tarballs');
  const file = execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  return readFileSync(file.startsWith('/') ? file : join(out, file));
}

/** The packed package.json. */
function manifest(name: Name): Record<string, unknown> {
  const dir = join(work, 'consumer', 'node_modules', '@flint', name);
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
}

function tarballFiles(name: Name): string[] {
  return execFileSync('tar', ['tzf', '-'], { input: tarballs.get(name)!, encoding: 'utf8' }).trim().split('\n');
}

beforeAll(() => {
  const modules = join(work, 'consumer', 'node_modules');
  for (const name of PACKAGES) {
    const tarball = pack(name);
    tarballs.set(name, tarball);
    const dir = join(modules, '@flint', name);
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['xzf', '-', '-C', dir, '--strip-components=1'], { input: tarball });
  }
  // A Node consumer has @types/node; the browser configurations below do not load it.
  mkdirSync(join(modules, '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(modules, '@types', 'node'));
}, 240_000);

describe.each(PACKAGES)('@flint/%s as published', (name) => {
  it('publint reports nothing, suggestions included', async () => {
    const data = tarballs.get(name)!;
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer }, level: 'suggestion' });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`)).toEqual([]);
  });

  it('are-the-types-wrong finds no problem in any resolution mode', async () => {
    const result = await checkPackage(createPackageFromTarballData(new Uint8Array(tarballs.get(name)!)));
    expect(result.types).not.toBe(false);
    expect('problems' in result ? result.problems : []).toEqual([]);
  });

  it('declares its licence, engines, entry points, types and side effects, and ships README and LICENSE', () => {
    const pkg = manifest(name);
    expect(pkg.license).toBe('MIT');
    expect(pkg.engines).toEqual({ node: '>=20' });
    expect(pkg.type).toBe('module');
    expect(pkg.types).toBe('./dist/index.d.ts');
    expect(pkg.sideEffects).toBeDefined();
    expect(pkg.exports).toEqual({
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
    });
    const deps = JSON.stringify([pkg.dependencies, pkg.peerDependencies]);
    expect(deps).not.toContain('workspace:');
    const files = tarballFiles(name);
    for (const file of ['package/README.md', 'package/LICENSE', 'package/dist/index.js', 'package/dist/index.cjs', 'package/dist/index.d.ts', 'package/dist/index.d.cts']) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((f) => /(^|\/)test\//.test(f))).toEqual([]);
  });
});

it("@flint/webgpu leaves Dawn (the webgpu package) to Node users as an optional peer dependency", () => {
  const pkg = manifest('webgpu');
  expect(pkg.dependencies).not.toHaveProperty('webgpu');
  expect(pkg.peerDependencies).toEqual({ webgpu: '0.6.2' });
  expect(pkg.peerDependenciesMeta).toEqual({ webgpu: { optional: true } });
});

const CONSUMER = `import * as flint from '@flint/core';
import '@flint/wasm-simd';
import '@flint/cpu-js';
import { createWebGpuBackend, type GpuEntryPoint, type WebGpuBackend } from '@flint/webgpu';

/** A training step and a GPU backend, as an app would write them. */
export async function main(gpu: GpuEntryPoint): Promise<number> {
  await flint.setBackend('wasm-simd');
  const model = new flint.nn.Sequential(new flint.nn.Linear(4, 8), new flint.nn.ReLU(), new flint.nn.Linear(8, 2));
  const optimizer = new flint.optim.Adam(model.parameters(), { lr: 1e-3 });
  const loss = flint.tidy(() => {
    const l = flint.nn.functional.crossEntropy(model.forward(flint.randn([3, 4])), flint.tensor([0, 1, 1]));
    optimizer.zeroGrad();
    l.backward();
    optimizer.step();
    return l.detach();
  });
  const backend: WebGpuBackend = await createWebGpuBackend(gpu);
  return (await loss.item()) + backend.stats.dispatches;
}
`;

interface Setup {
  label: string;
  module: string;
  moduleResolution: string;
  /** ESM: `type: module` and .ts; CJS: .cts. */
  format: 'esm' | 'cjs';
  /** A browser app has the DOM library and no Node types; a Node app the reverse. */
  host: 'browser' | 'node';
}

const setups: Setup[] = [
  { label: 'bundler resolution, ESM, browser', module: 'esnext', moduleResolution: 'bundler', format: 'esm', host: 'browser' },
  { label: 'node16 resolution, ESM, Node', module: 'node16', moduleResolution: 'node16', format: 'esm', host: 'node' },
  { label: 'node16 resolution, CJS, Node', module: 'node16', moduleResolution: 'node16', format: 'cjs', host: 'node' },
];

const compilers = [
  ['TypeScript 5', join(root, 'node_modules', 'typescript-5', 'bin', 'tsc')],
  ['TypeScript 7', join(root, 'node_modules', 'typescript-7', 'bin', 'tsc')],
] as const;

describe.each(compilers)('a consumer app type-checks against the published types with %s', (_label, tsc) => {
  it.each(setups)('$label', (setup) => {
    const dir = join(work, 'consumer');
    const project = join(dir, `${setup.module}-${setup.format}-${setup.host}`);
    mkdirSync(project, { recursive: true });
    const entry = setup.format === 'esm' ? 'main.ts' : 'main.cts';
    writeFileSync(join(project, entry), CONSUMER);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: setup.format === 'esm' ? 'module' : 'commonjs' }));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: setup.module,
        moduleResolution: setup.moduleResolution,
        lib: setup.host === 'browser' ? ['es2022', 'dom'] : ['es2022'],
        types: setup.host === 'browser' ? [] : ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files: [entry],
    }));
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  });
});

/** The workspace packages that `changeset publish` publishes: those under packages/ not marked private. */
const PUBLIC = readdirSync(join(root, 'packages')).filter((dir) => {
  const file = join(root, 'packages', dir, 'package.json');
  return existsSync(file) && !(JSON.parse(readFileSync(file, 'utf8')) as { private?: boolean }).private;
});

interface DryRun {
  name: string;
  version: string;
  filename: string;
  files: { path: string }[];
}

describe('changeset publish, rehearsed with pnpm publish --dry-run', () => {
  /** Stands in for the registry: it counts connections, and must count none. */
  const registry = createServer((socket) => socket.destroy());
  let connections = 0;
  registry.on('connection', () => connections++);
  const results = new Map<string, DryRun>();

  beforeAll(async () => {
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const { port } = registry.address() as { port: number };
    // No credentials: an empty auth file in place of ~/.npmrc.
    const auth = join(work, 'empty.npmrc');
    writeFileSync(auth, '');
    for (const dir of PUBLIC) {
      // The command changeset runs in each package's folder (config.json: access public; tag latest;
      // --no-git-checks for pnpm 5 and later), with --dry-run and the local registry added.
      const args = ['-y', 'pnpm@12.4.2', 'publish', '--access', 'public', '--tag', 'latest', '--no-git-checks', '--json', '--dry-run', '--registry', `http://127.0.0.1:${port}/`, '--npmrc-auth-file', auth];
      const { stdout } = await promisify(execFile)('npx', args, { cwd: join(root, 'packages', dir), encoding: 'utf8' });
      results.set(dir, JSON.parse(stdout) as DryRun);
    }
    // Connections a run might have opened are accepted before the count is read.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }, 120_000);

  it('covers the six packages, changesets is set to publish them publicly, and nothing reached the registry', async () => {
    expect(PUBLIC.sort()).toEqual(['conformance', 'core', 'cpu-js', 'onnx', 'wasm-simd', 'webgpu']);
    const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')) as { access: string };
    expect(config.access).toBe('public');
    expect(connections).toBe(0);
    await new Promise((resolve) => registry.close(resolve));
  });

  it.each(PUBLIC)('@flint/%s: the dry run names the package and lists its tarball, holding every file its manifest points to', (dir) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Record<string, unknown> & { name: string; version: string };
    const run = results.get(dir)!;
    expect([run.name, run.version, run.filename]).toEqual([pkg.name, pkg.version, `flint-${dir}-${pkg.version}.tgz`]);
    const listed = run.files.map((f) => f.path);
    // The entry points as published (publishConfig's exports replace the source condition's).
    const published = { ...pkg, ...(pkg.publishConfig as object) };
    const targets = JSON.stringify([published.main, published.module, published.types, published.exports]).match(/\.\/[^"]+/g)!;
    expect(targets.length).toBeGreaterThan(3);
    for (const file of ['package.json', 'LICENSE', 'README.md', ...targets.map((t) => t.slice(2))]) expect(listed, file).toContain(file);
    if (tarballs.has(dir as Name)) expect(listed.sort()).toEqual(tarballFiles(dir as Name).map((f) => f.replace(/^package\//, '')).sort());
  });
});
