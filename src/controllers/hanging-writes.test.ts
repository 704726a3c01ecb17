/**
 * A controller whose write hangs in etcd is blocked like a worker waiting on its request:
 * SyncQueue and WorkQueue run the key again only when the write resolves — at once if it
 * committed, after their own retry delay if it failed.
 */
import { describe, expect, it } from '@jest/globals';
import { ApiGate, LeaderGate, type SimContext } from '../components/context.js';
import { Engine } from '../engine/engine.js';
import type { WriteBackend, WriteMode } from '../model/api.js';
import { SyncQueue, API_RETRY_MS } from './sync-queue.js';
import { WorkQueue } from './work-queue.js';

/** An apiserver whose write mode the test sets at chosen instants. */
function world(modes: Array<[number, WriteMode]>) {
  const engine = new Engine();
  const listeners: Array<(m: WriteMode) => void> = [];
  let mode: WriteMode = 'accepting';
  const backend: WriteBackend = {
    tryWrite: () => mode === 'accepting',
    get mode() {
      return mode;
    },
    requestTimeoutMs: 7000,
    onModeChange: (l) => listeners.push(l),
  };
  const api = new ApiGate(engine);
  api.inner = backend;
  for (const [at, m] of modes)
    engine.scheduleAt(at, () => {
      mode = m;
      for (const l of listeners) l(m);
    });
  const ctx = {
    engine,
    api,
    leaders: { controllerManager: new LeaderGate(), scheduler: new LeaderGate() },
  } as unknown as SimContext;
  return { engine, ctx };
}

describe('SyncQueue with a hanging write', () => {
  function run(modes: Array<[number, WriteMode]>, extraEnqueueAt?: number) {
    const { engine, ctx } = world(modes);
    const syncs: number[] = [];
    let done = false;
    const queue = new SyncQueue(ctx, () => {
      syncs.push(engine.now);
      if (done) return undefined;
      if (!ctx.api.tryWrite('object', 'controller/Test')) return API_RETRY_MS;
      done = true;
      return undefined;
    });
    engine.scheduleAt(1000, () => queue.enqueue('k'));
    if (extraEnqueueAt !== undefined) engine.scheduleAt(extraEnqueueAt, () => queue.enqueue('k'));
    engine.run({ until: 60_000 });
    return { syncs, refused: ctx.api.refused.get('object') ?? 0 };
  }

  it('refused at once: retried every second', () => {
    expect(
      run([
        [500, 'refusing'],
        [3500, 'accepting'],
      ]),
    ).toEqual({
      syncs: [1000, 2000, 3000, 4000],
      refused: 3,
    });
  });

  it('lost towards a dead leader: the sync learns at +7 s, retries a second later', () => {
    expect(
      run([
        [500, 'losing'],
        [2000, 'accepting'],
      ]),
    ).toEqual({
      syncs: [1000, 9000],
      refused: 1,
    });
  });

  it('held until a leader returns: the key syncs again the moment the write commits', () => {
    expect(
      run([
        [500, 'holding'],
        [3500, 'accepting'],
      ]),
    ).toEqual({
      syncs: [1000, 3500],
      refused: 0,
    });
  });

  it('enqueued while blocked: waits for the write, then syncs at once', () => {
    expect(
      run(
        [
          [500, 'losing'],
          [2000, 'accepting'],
        ],
        4000,
      ),
    ).toEqual({
      syncs: [1000, 8000],
      refused: 1,
    });
  });
});

describe('WorkQueue with a hanging write', () => {
  function run(modes: Array<[number, WriteMode]>) {
    const { engine, ctx } = world(modes);
    const syncs: number[] = [];
    const queue = new WorkQueue(
      ctx,
      () => {
        syncs.push(engine.now);
        return ctx.api.tryWrite('object', 'controller/Test') ? 'done' : 'retry';
      },
      () => {},
    );
    engine.scheduleAt(1000, () => queue.add('k'));
    engine.run({ until: 60_000 });
    return syncs;
  }

  it('refused at once: backoff 1 s, 2 s, 4 s from each refusal', () => {
    expect(
      run([
        [500, 'refusing'],
        [5000, 'accepting'],
      ]),
    ).toEqual([1000, 2000, 4000, 8000]);
  });

  it('lost: the 1 s backoff counts from the failure at +7 s', () => {
    expect(
      run([
        [500, 'losing'],
        [2000, 'accepting'],
      ]),
    ).toEqual([1000, 9000]);
  });

  it('held: synced again when the write commits', () => {
    expect(
      run([
        [500, 'holding'],
        [3500, 'accepting'],
      ]),
    ).toEqual([1000, 3500]);
  });
});
