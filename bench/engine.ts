// Engine overhead against its own baseline, measured in the same process: a bare tinyqueue
// push/pop loop on {time, seq} objects with the engine's comparator, versus Engine with no-op
// handlers. Both process the same N events; each event schedules one successor at a delay
// from the same LCG, so the heap holds DEPTH entries throughout.
//   node dist-bench/bench/engine.js [events] [depth]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import TinyQueue from 'tinyqueue';
import { Engine } from '../src/engine/engine.js';

const EVENTS = Number(process.argv[2] ?? 2_000_000);
const DEPTH = Number(process.argv[3] ?? 10_000);
const ROUNDS = 5;

/** Numerical Recipes LCG: cheap, fixed, identical in both loops. Delays in [0, 65535] ms. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x >>> 16;
  };
}

interface Item {
  time: number;
  seq: number;
}

function bare(events: number, depth: number): number {
  const delay = lcg(1);
  const queue = new TinyQueue<Item>([], (a, b) => a.time - b.time || a.seq - b.seq);
  let seq = 0;
  for (let i = 0; i < depth; i++) queue.push({ time: delay(), seq: seq++ });
  const start = performance.now();
  for (let n = 0; n < events; n++) {
    const item = queue.pop() as Item;
    queue.push({ time: item.time + delay(), seq: seq++ });
  }
  return performance.now() - start;
}

function engine(events: number, depth: number): number {
  const delay = lcg(1);
  const sim = new Engine();
  let processed = 0;
  const handler = (): void => {
    if (++processed === events) sim.stop();
    sim.schedule(delay(), handler);
  };
  for (let i = 0; i < depth; i++) sim.schedule(delay(), handler);
  const start = performance.now();
  sim.run();
  const elapsed = performance.now() - start;
  if (sim.eventsProcessed !== events)
    throw new Error(`engine processed ${sim.eventsProcessed}, want ${events}`);
  return elapsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

// Warm-up so both loops are optimised before timing.
bare(EVENTS / 4, DEPTH);
engine(EVENTS / 4, DEPTH);

// Interleave rounds so drift (thermal, GC) hits both alike; report medians.
const bareMs: number[] = [];
const engineMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  bareMs.push(bare(EVENTS, DEPTH));
  engineMs.push(engine(EVENTS, DEPTH));
}
const bareRate = EVENTS / (median(bareMs) / 1000);
const engineRate = EVENTS / (median(engineMs) / 1000);
const ratio = engineRate / bareRate;
const cpu = os.cpus()[0]?.model ?? 'unknown';
const cores = os.cpus().length;

const fmt = (rate: number): string => `${(rate / 1e6).toFixed(2)} M events/s`;
console.log(
  `node ${process.version}, ${cpu}, ${cores} cores; ${EVENTS} events, heap depth ${DEPTH}, median of ${ROUNDS}`,
);
console.log(`bare tinyqueue : ${fmt(bareRate)}`);
console.log(`Engine         : ${fmt(engineRate)}`);
console.log(`engine/bare    : ${(ratio * 100).toFixed(1)}%`);
console.log(
  JSON.stringify({
    bench: 'engine',
    node: process.version,
    cpu,
    cores,
    events: EVENTS,
    depth: DEPTH,
    bareEventsPerSec: Math.round(bareRate),
    engineEventsPerSec: Math.round(engineRate),
    ratio: Number(ratio.toFixed(3)),
  }),
);
