/**
 * `ksim.dev/load` on a pod template: a load profile (flow YAML) that multiplies the pods'
 * `ksim.dev/usage` over simulated time, so a HorizontalPodAutoscaler sees a diurnal or
 * stepped load:
 *
 *   ksim.dev/load: '{sinusoid: {period: 24h, min: 0.3, max: 1.2, phase: 14h}}'
 *   ksim.dev/load: '{points: [[0s, 0.5], [2h, 1.5], [4h, 0.5]]}'   # linear between points
 */
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../model/duration.js';
import type { Path } from '../scenario/errors.js';
import type { Reader } from '../scenario/fields.js';
import {
  createLoadProfile,
  type LoadProfile,
  type LoadProfileSpec,
} from '../workloads/arrivals.js';

export const ANNOTATION_LOAD = 'ksim.dev/load';

class LoadSpecError extends Error {
  constructor(
    message: string,
    readonly path: Path,
  ) {
    super(message);
  }
}

const EXPECTED =
  'a load profile in flow YAML: {sinusoid: {period: 24h, min: 0.3, max: 1.2}} or {points: [[0s, 0.5], [2h, 1.5]]}';

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function duration(v: unknown, path: Path): number {
  try {
    return parseDuration(v as string | number);
  } catch {
    throw new LoadSpecError('expected a duration (e.g. 90s, 2h)', path);
  }
}

function factor(v: unknown, path: Path): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new LoadSpecError('expected a non-negative number', path);
  return v;
}

/** Parses the annotation value; throws LoadSpecError with the path inside the value. */
export function parseLoadSpec(value: unknown): LoadProfileSpec {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = parseYaml(v);
    } catch {
      throw new LoadSpecError(`expected ${EXPECTED}`, []);
    }
  }
  if (!isMap(v) || Object.keys(v).length !== 1) throw new LoadSpecError(`expected ${EXPECTED}`, []);
  if (isMap(v.sinusoid)) {
    const s = v.sinusoid;
    for (const k of Object.keys(s))
      if (!['period', 'min', 'max', 'phase'].includes(k))
        throw new LoadSpecError('unknown field; expected one of period, min, max, phase', [
          'sinusoid',
          k,
        ]);
    const periodMs = duration(s.period, ['sinusoid', 'period']);
    if (periodMs <= 0)
      throw new LoadSpecError('expected a positive duration', ['sinusoid', 'period']);
    const min = factor(s.min, ['sinusoid', 'min']);
    const max = factor(s.max, ['sinusoid', 'max']);
    if (min > max) throw new LoadSpecError(`must not exceed max (${max})`, ['sinusoid', 'min']);
    const phaseMs = s.phase === undefined ? 0 : duration(s.phase, ['sinusoid', 'phase']);
    return { sinusoid: { periodMs, min, max, phaseMs } };
  }
  if (Array.isArray(v.points)) {
    if (v.points.length === 0) throw new LoadSpecError('expected at least one point', ['points']);
    const points = v.points.map((p, i): [number, number] => {
      if (!Array.isArray(p) || p.length !== 2)
        throw new LoadSpecError('expected a pair [time, factor]', ['points', i]);
      const t = duration(p[0], ['points', i, 0]);
      if (i > 0 && t <= duration((v.points as unknown[][])[i - 1]![0], ['points', i - 1, 0]))
        throw new LoadSpecError('times must increase', ['points', i, 0]);
      return [t, factor(p[1], ['points', i, 1])];
    });
    return { points };
  }
  throw new LoadSpecError(`expected ${EXPECTED}`, []);
}

/** Validates an annotation value, recording an issue at `path` (the annotation). */
export function checkLoadAnnotation(r: Reader, value: unknown, path: Path): boolean {
  try {
    parseLoadSpec(value);
    return true;
  } catch (e) {
    if (!(e instanceof LoadSpecError)) throw e;
    const where = e.path.length ? ` (at ${e.path.join('.')})` : '';
    r.issues.at(r.src, path, `${e.message}${where}, found ${JSON.stringify(value)}`);
    return false;
  }
}

/** Profiles by annotation text, parsed once. */
export class LoadProfiles {
  private readonly cache = new Map<string, LoadProfile>();

  /** The multiplier for a pod's annotations at `now` (1 without the annotation). */
  factor(annotations: Record<string, string>, now: number): number {
    const text = annotations[ANNOTATION_LOAD];
    if (text === undefined) return 1;
    let p = this.cache.get(text);
    if (!p) this.cache.set(text, (p = createLoadProfile(parseLoadSpec(text))));
    return p.valueAt(now);
  }
}
