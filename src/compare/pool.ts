/**
 * Runs tasks on K worker threads, each worker taking the next task as soon as it is free.
 * Results come back in task order whatever order they finished in — the only thing the caller
 * sees of the parallelism is `onDone`, called in completion order (progress bars).
 */
import { Worker } from 'node:worker_threads';
import type { RunOutput } from '../metrics/output.js';
import type { RunTask } from './run-one.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

export class WorkerRunError extends Error {
  constructor(
    readonly task: RunTask,
    message: string,
    readonly workerStack?: string,
  ) {
    super(
      `run ${task.policy.name} seed ${task.seed} failed: ${message}${workerStack ? `\n${workerStack}` : ''}`,
    );
    this.name = 'WorkerRunError';
  }
}

export async function runOnWorkers(
  tasks: readonly RunTask[],
  jobs: number,
  workerUrl: URL,
  onDone: (index: number, summary: RunOutput) => void,
): Promise<RunOutput[]> {
  const results: RunOutput[] = new Array(tasks.length);
  const workers: Worker[] = [];
  let next = 0;
  let remaining = tasks.length;
  try {
    await new Promise<void>((resolve, reject) => {
      if (remaining === 0) return resolve();
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const feed = (w: Worker): void => {
        if (failed || next >= tasks.length) return;
        const index = next++;
        w.postMessage({ index, task: tasks[index]! } satisfies WorkerRequest);
      };
      const count = Math.max(1, Math.min(jobs, tasks.length));
      for (let i = 0; i < count; i++) {
        const w = new Worker(workerUrl);
        workers.push(w);
        w.on('message', (reply: WorkerReply) => {
          if ('error' in reply) {
            fail(new WorkerRunError(tasks[reply.index]!, reply.error.message, reply.error.stack));
            return;
          }
          results[reply.index] = reply.summary;
          onDone(reply.index, reply.summary);
          if (--remaining === 0) resolve();
          else feed(w);
        });
        w.on('error', (e) => fail(e));
        w.on('exit', (code) => {
          if (remaining > 0) fail(new Error(`a compare worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
