/**
 * Runs up to `limit` jobs ahead and yields their results in the order the jobs were started: the
 * prefetching behind DataLoader workers. Waiting longer than `timeoutMs` (when > 0) for the next
 * result throws. Stopping early closes `jobs`; results still in flight are dropped.
 */
export async function* inOrder<T>(jobs: Iterator<() => Promise<T>>, limit: number, timeoutMs: number): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  const fill = (): void => {
    while (queue.length < limit) {
      const next = jobs.next();
      if (next.done) return;
      const result = next.value();
      // The consumer may stop before awaiting this one; its failure must not count as unhandled.
      result.catch(() => {});
      queue.push(result);
    }
  };
  try {
    fill();
    for (let k = 0; queue.length > 0; k++) {
      const value = await withTimeout(queue.shift()!, timeoutMs, k);
      fill();
      yield value;
    }
  } finally {
    jobs.return?.();
  }
}

function withTimeout<T>(result: Promise<T>, ms: number, k: number): Promise<T> {
  if (ms <= 0) return result;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`DataLoader timed out after ${ms} ms waiting for batch ${k} from the workers`)), ms);
  });
  return Promise.race([result, expired]).finally(() => clearTimeout(timer));
}
