/**
 * Imports a Node built-in (`node:os`, `node:worker_threads`, ...) by a computed specifier.
 * Bundlers resolve a literal `import('node:os')` while building for browsers, and warn or fail;
 * they leave a computed one alone, and the call is only reached where Node runs. (A package, as
 * opposed to a built-in, must be imported from the package that depends on it: bare specifiers
 * resolve from the importing file.)
 * @example const { availableParallelism } = await importNodeBuiltin<typeof import('node:os')>('node:os');
 */
export function importNodeBuiltin<T>(specifier: `node:${string}`): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}
