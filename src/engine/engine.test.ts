import { describe, expect, it } from '@jest/globals';
import { Engine } from './engine.js';

/** Schedules labelled events at the given delays and returns the log they write to. */
function scheduleAll(engine: Engine, delays: [label: string, delay: number][]): string[] {
  const log: string[] = [];
  for (const [label, delay] of delays)
    engine.schedule(delay, () => log.push(`${label}@${engine.now}`));
  return log;
}

describe('Engine ordering', () => {
  const cases: { name: string; delays: [string, number][]; want: string[] }[] = [
    {
      name: 'events run in time order regardless of scheduling order',
      delays: [
        ['c', 30],
        ['a', 10],
        ['b', 20],
      ],
      want: ['a@10', 'b@20', 'c@30'],
    },
    {
      name: 'events at the same time run in the order they were scheduled',
      delays: [
        ['first', 5],
        ['second', 5],
        ['third', 5],
        ['zero', 0],
        ['fourth', 5],
      ],
      want: ['zero@0', 'first@5', 'second@5', 'third@5', 'fourth@5'],
    },
    {
      name: 'many ties interleaved with other times keep insertion order within each time',
      delays: Array.from({ length: 40 }, (_, i): [string, number] => [`e${i}`, (i % 4) * 10]),
      want: [0, 1, 2, 3].flatMap((t) =>
        Array.from({ length: 10 }, (_, k) => `e${k * 4 + t}@${t * 10}`),
      ),
    },
  ];
  it.each(cases)('$name', ({ delays, want }) => {
    const engine = new Engine();
    const log = scheduleAll(engine, delays);
    engine.run();
    expect(log).toEqual(want);
    expect(engine.eventsProcessed).toBe(want.length);
    expect(engine.queued).toBe(0);
  });

  it('an event scheduled with delay 0 from a handler runs after the events already queued for now', () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.schedule(1, () => {
      log.push('a');
      engine.schedule(0, () => log.push('a-child'));
    });
    engine.schedule(1, () => log.push('b'));
    engine.run();
    expect(log).toEqual(['a', 'b', 'a-child']);
    expect(engine.now).toBe(1);
  });

  it('schedule is relative to now and scheduleAt is absolute', () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.schedule(100, () => {
      engine.schedule(50, () => log.push(`relative@${engine.now}`));
      engine.scheduleAt(120, () => log.push(`absolute@${engine.now}`));
      engine.scheduleAt(100, () => log.push(`now@${engine.now}`));
    });
    engine.run();
    expect(log).toEqual(['now@100', 'absolute@120', 'relative@150']);
  });

  it('timers report their time and a seq that counts every scheduling', () => {
    const engine = new Engine();
    const a = engine.schedule(7, () => {});
    const b = engine.scheduleAt(3, () => {});
    expect([a.time, a.seq, a.cancelled]).toEqual([7, 0, false]);
    expect([b.time, b.seq, b.cancelled]).toEqual([3, 1, false]);
  });
});

describe('Engine argument errors', () => {
  const cases: { name: string; call: (e: Engine) => unknown; message: string }[] = [
    {
      name: 'a negative delay',
      call: (e) => e.schedule(-3, () => {}),
      message: 'Negative delay -3',
    },
    {
      name: 'a fractional delay',
      call: (e) => e.schedule(1.5, () => {}),
      message: 'Delay must be an integer number of ms, got 1.5',
    },
    {
      name: 'a NaN delay',
      call: (e) => e.schedule(NaN, () => {}),
      message: 'Delay must be an integer number of ms, got NaN',
    },
    {
      name: 'an infinite delay',
      call: (e) => e.schedule(Infinity, () => {}),
      message: 'Delay must be an integer number of ms, got Infinity',
    },
    {
      name: 'a time before now',
      call: (e) => e.scheduleAt(5, () => {}),
      message: 'Time 5 is in the past (now 10)',
    },
    {
      name: 'a fractional absolute time',
      call: (e) => e.scheduleAt(10.25, () => {}),
      message: 'Time must be an integer number of ms, got 10.25',
    },
    {
      name: 'running until a time before now',
      call: (e) => e.run({ until: 9 }),
      message: 'until must be greater than or equal to the current time',
    },
    {
      name: 'running until a fractional time',
      call: (e) => e.run({ until: 20.5 }),
      message: 'until must be an integer number of ms, got 20.5',
    },
    {
      name: 'a progress interval of zero',
      call: (e) => e.run({ progressEvery: 0 }),
      message: 'progressEvery must be a positive integer, got 0',
    },
  ];
  it.each(cases)('rejects $name with a RangeError', ({ call, message }) => {
    const engine = new Engine();
    engine.run({ until: 10 });
    expect(() => call(engine)).toThrow(new RangeError(message));
    expect(() => call(engine)).toThrow(RangeError);
    expect(engine.queued).toBe(0);
  });

  it('accepts scheduleAt exactly at now and run until exactly now', () => {
    const engine = new Engine();
    engine.run({ until: 10 });
    let ran = false;
    engine.scheduleAt(10, () => (ran = true));
    engine.run({ until: 10 });
    expect(ran).toBe(true);
    expect(engine.now).toBe(10);
  });
});

describe('Engine cancellation', () => {
  it('a cancelled event never runs and is not counted', () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.schedule(1, () => log.push('a'));
    const b = engine.schedule(2, () => log.push('b'));
    engine.schedule(3, () => log.push('c'));
    engine.cancel(b);
    expect(b.cancelled).toBe(true);
    expect(engine.queued).toBe(3);
    engine.run();
    expect(log).toEqual(['a', 'c']);
    expect(engine.eventsProcessed).toBe(2);
    expect(engine.queued).toBe(0);
  });

  it('cancelling twice is harmless', () => {
    const engine = new Engine();
    let runs = 0;
    const t = engine.schedule(1, () => runs++);
    engine.cancel(t);
    engine.cancel(t);
    engine.run();
    expect([runs, engine.eventsProcessed]).toEqual([0, 0]);
  });

  it('cancelling an event that already ran changes nothing', () => {
    const engine = new Engine();
    let runs = 0;
    const t = engine.schedule(1, () => runs++);
    engine.run();
    engine.cancel(t);
    engine.run();
    expect([runs, engine.eventsProcessed, engine.now]).toEqual([1, 1, 1]);
  });

  it('a handler can cancel a later event at the same time', () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.schedule(5, () => {
      log.push('a');
      engine.cancel(b);
    });
    const b = engine.schedule(5, () => log.push('b'));
    engine.run();
    expect(log).toEqual(['a']);
  });

  it('step skips cancelled events and returns false when only cancelled ones remain', () => {
    const engine = new Engine();
    const log: number[] = [];
    const t1 = engine.schedule(1, () => log.push(1));
    engine.schedule(2, () => log.push(2));
    const t3 = engine.schedule(3, () => log.push(3));
    engine.cancel(t1);
    engine.cancel(t3);
    expect(engine.step()).toBe(true);
    expect([log, engine.now]).toEqual([[2], 2]);
    expect(engine.step()).toBe(false);
    expect([engine.queued, engine.eventsProcessed, engine.now]).toEqual([0, 1, 2]);
  });
});

describe('Engine step', () => {
  it('runs exactly one event per call and advances the clock to it', () => {
    const engine = new Engine();
    const log = scheduleAll(engine, [
      ['a', 4],
      ['b', 9],
    ]);
    expect(engine.step()).toBe(true);
    expect([log, engine.now, engine.queued]).toEqual([['a@4'], 4, 1]);
    expect(engine.step()).toBe(true);
    expect([log, engine.now, engine.queued]).toEqual([['a@4', 'b@9'], 9, 0]);
    expect(engine.step()).toBe(false);
    expect(engine.now).toBe(9);
  });
});

describe('Engine run until', () => {
  const cases: { name: string; until: number; want: string[]; queuedAfter: number }[] = [
    {
      name: 'events at exactly until run, later ones stay queued',
      until: 20,
      want: ['a@10', 'b@20'],
      queuedAfter: 1,
    },
    {
      name: 'until between events leaves the later ones queued',
      until: 15,
      want: ['a@10'],
      queuedAfter: 2,
    },
    {
      name: 'until past the last event runs them all',
      until: 1000,
      want: ['a@10', 'b@20', 'c@30'],
      queuedAfter: 0,
    },
    { name: 'until now runs nothing that lies ahead', until: 0, want: [], queuedAfter: 3 },
  ];
  it.each(cases)('$name, and the clock ends at until', ({ until, want, queuedAfter }) => {
    const engine = new Engine();
    const log = scheduleAll(engine, [
      ['a', 10],
      ['b', 20],
      ['c', 30],
    ]);
    engine.run({ until });
    expect(log).toEqual(want);
    expect(engine.now).toBe(until);
    expect(engine.queued).toBe(queuedAfter);
  });

  it('a later run continues where the previous one stopped', () => {
    const engine = new Engine();
    const log = scheduleAll(engine, [
      ['a', 10],
      ['b', 20],
      ['c', 30],
    ]);
    engine.run({ until: 15 });
    engine.run({ until: 25 });
    expect(log).toEqual(['a@10', 'b@20']);
    engine.run();
    expect(log).toEqual(['a@10', 'b@20', 'c@30']);
    expect(engine.now).toBe(30);
  });

  it('without until the clock stays at the last event', () => {
    const engine = new Engine();
    scheduleAll(engine, [['a', 42]]);
    engine.run();
    expect(engine.now).toBe(42);
  });

  it('calls onProgress every progressEvery events with the current time', () => {
    const engine = new Engine();
    for (let i = 1; i <= 10; i++) engine.schedule(i * 100, () => {});
    const seen: number[] = [];
    engine.run({ onProgress: (now) => seen.push(now), progressEvery: 3 });
    expect(seen).toEqual([300, 600, 900]);
  });

  it('rejects a nested run from inside a handler', () => {
    const engine = new Engine();
    engine.schedule(1, () => engine.run());
    expect(() => engine.run()).toThrow('run() called from inside a handler');
  });
});

describe('Engine stop', () => {
  it('returns from run after the current event, leaving the rest queued and the clock at that event', () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.schedule(10, () => log.push('a'));
    engine.schedule(20, () => {
      log.push('b');
      engine.stop();
      log.push('b-after-stop');
    });
    engine.schedule(20, () => log.push('c'));
    engine.schedule(30, () => log.push('d'));
    engine.run({ until: 100 });
    expect(log).toEqual(['a', 'b', 'b-after-stop']);
    expect([engine.now, engine.queued, engine.eventsProcessed]).toEqual([20, 2, 2]);
    engine.run({ until: 100 });
    expect(log).toEqual(['a', 'b', 'b-after-stop', 'c', 'd']);
    expect(engine.now).toBe(100);
  });

  it('a stop requested outside run does not cut the next run short', () => {
    const engine = new Engine();
    const log = scheduleAll(engine, [
      ['a', 1],
      ['b', 2],
    ]);
    engine.stop();
    engine.run();
    expect(log).toEqual(['a@1', 'b@2']);
  });
});

describe('Engine handler errors', () => {
  it('a throwing handler propagates out of run with the clock at its time, and the engine can go on', () => {
    const engine = new Engine();
    const log = scheduleAll(engine, [['a', 1]]);
    engine.schedule(2, () => {
      throw new Error('boom');
    });
    const later = scheduleAll(engine, [['c', 3]]);
    expect(() => engine.run({ until: 10 })).toThrow('boom');
    expect([log, engine.now, engine.eventsProcessed]).toEqual([['a@1'], 2, 2]);
    engine.run({ until: 10 });
    expect(later).toEqual(['c@3']);
    expect(engine.now).toBe(10);
  });

  it('a throwing handler propagates out of step', () => {
    const engine = new Engine();
    engine.schedule(5, () => {
      throw new TypeError('bad handler');
    });
    expect(() => engine.step()).toThrow(new TypeError('bad handler'));
    expect(engine.now).toBe(5);
  });
});
