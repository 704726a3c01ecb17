/**
 * Worker-thread entry of `ksim compare` (compiled to dist/compare/worker.js): receives RunTasks
 * one at a time, runs each and answers with its summary. A worker runs one simulation at a time;
 * each simulation stays single-threaded and deterministic.
 */
import { parentPort } from 'node:worker_threads';
import { runOne, type RunTask } from './run-one.js';

export interface WorkerRequest {
  index: number;
  task: RunTask;
}

export type WorkerReply =
  | { index: number; summary: ReturnType<typeof runOne> }
  | { index: number; error: { message: string; stack?: string; name: string } };

// A worker is a process entry point like the CLI: the wall clock here only feeds summary.json
// wallSeconds, which is excluded from every determinism guarantee.
// eslint-disable-next-line no-restricted-properties
const clock = (): number => performance.now();

parentPort?.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { index: req.index, summary: runOne(req.task, clock) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { index: req.index, error: { message: err.message, stack: err.stack, name: err.name } };
  }
  parentPort!.postMessage(reply);
});
