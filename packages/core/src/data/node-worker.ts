/**
 * DataLoader workers on Node.js worker_threads: the only Node-specific code of flint.data. Both
 * ends are here: spawning on the main thread, the parent port inside the worker. Web Workers
 * would add a sibling file with the same two functions.
 */
import type { FetchRequest, ParentPort, SpawnWorker, WorkerInit } from './worker-protocol.ts';
import { specModules } from './worker-spec.ts';
import { importNodeBuiltin } from '../backend/host-import.ts';

const isTypeScript = (url: string): boolean => /\.[cm]?tsx?$/.test(new URL(url).pathname);

const workerThreads = (): Promise<typeof import('node:worker_threads')> => importNodeBuiltin('node:worker_threads');

/**
 * The worker entry beside this module: data-worker.ts when flint runs from its sources (tests,
 * the @flint/source condition), data-worker.js in the build, which must emit it next to the
 * module that holds this code.
 */
function entryUrl(): string {
  const fromSources = isTypeScript(import.meta.url);
  return new URL(fromSources ? './data-worker.ts' : './data-worker.js', import.meta.url).href;
}

/**
 * The worker's first code. Node ignores `--import` in a worker's execArgv, so a TypeScript loader
 * (tsx, resolved from the working directory) is registered here when any module is TypeScript.
 */
function bootstrap(entry: string, typescript: boolean): string {
  const loader = typescript
    ? `const { register } = await import('tsx/esm/api').catch((cause) => {
        throw new Error('DataLoader worker: loading TypeScript modules needs tsx installed where the program runs (npm install -D tsx), or point workerSource at compiled JavaScript', { cause });
      });
      register();`
    : '';
  return `(async () => { ${loader} await import(${JSON.stringify(entry)}); })();`;
}

/** A spawner of worker_threads workers. */
export async function nodeSpawner(): Promise<SpawnWorker> {
  const { Worker } = await workerThreads();
  const entry = entryUrl();
  const fromSources = isTypeScript(entry);
  return (init, events) => {
    const modules = [entry, ...specModules(init.dataset), ...(init.workerInit ? [init.workerInit.module] : [])];
    const worker = new Worker(bootstrap(entry, modules.some(isTypeScript)), {
      eval: true,
      workerData: init,
      // From sources, dataset modules must resolve '@flint/core' to the very files the entry
      // imports, or they would seed and read another copy of flint. The build inherits execArgv.
      execArgv: fromSources ? ['--conditions=@flint/source'] : undefined,
    });
    worker.on('message', events.reply);
    worker.on('error', events.error);
    worker.on('exit', events.exit);
    return {
      post: (request) => worker.postMessage(request),
      keepAlive: (busy) => (busy ? worker.ref() : worker.unref()),
      terminate: async () => {
        await worker.terminate();
      },
    };
  };
}

/** Inside a worker: its init data and the channel to the thread that started it. */
export async function nodeParentPort(): Promise<ParentPort> {
  const { parentPort, workerData } = await workerThreads();
  if (!parentPort) throw new Error('data-worker: this module is a DataLoader worker entry and must run in a worker thread');
  return {
    init: workerData as WorkerInit,
    onRequest: (handler) => parentPort.on('message', (request: FetchRequest) => handler(request)),
    reply: (reply, transfer) => parentPort.postMessage(reply, transfer),
  };
}
