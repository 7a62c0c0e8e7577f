/**
 * One measurement process, forked by harness.ts with a Job as JSON in argv[2]: loads one system,
 * prepares one workload, warms up, answers 'sample' requests, and on 'finish' verifies what the
 * system computed. A process per system keeps one library's JIT state, heap and threads out of
 * another's numbers.
 */
import { Inbox, type FromChild, type Job, type ToChild } from './protocol.ts';
import { sample, warmUp } from './timing.ts';
import { verify, workload, type RunRecord } from './workloads.ts';
import { loadAdapter, system } from './systems/index.ts';
import { Unavailable } from './systems/adapter.ts';

const job = JSON.parse(process.argv[2]!) as Job;
const inbox = new Inbox<ToChild>();
process.on('message', (message) => inbox.push(message as ToChild));

function send(message: FromChild): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (err: Error | null) => (err ? reject(err) : resolve())));
}

async function measure(): Promise<FromChild> {
  const data = workload(job.workload).data(job.size, job.threads);
  const adapter = await loadAdapter(system(job.system));
  const instance = await adapter.prepare(data);
  const warm = instance.remote ? await instance.warmUp(job.timing) : await warmUp(() => instance.step(), job.timing);
  await send({ type: 'ready', iterations: warm.iterations, detail: adapter.detail });
  const record: RunRecord = { values: [], steps: warm.steps };
  while ((await inbox.next()).type === 'sample') {
    const seconds = instance.remote
      ? await instance.sample(warm.iterations, record.values)
      : await sample(() => instance.step(), warm.iterations, record.values);
    await send({ type: 'sample', seconds });
  }
  record.steps += record.values.length;
  record.result = await instance.result?.();
  verify(data, record);
  instance.dispose();
  return { type: 'done' };
}

const reply = await measure().catch((err: unknown): FromChild => {
  if (err instanceof Unavailable) return { type: 'unavailable', reason: err.message };
  return { type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
});
await send(reply);
// Exits even if a backend or loader left handles open (worker threads, timers).
process.exit(reply.type === 'error' ? 1 : 0);
