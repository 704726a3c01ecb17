/**
 * Typed field readers for validation. Each returns the value, or undefined after recording
 * an issue at the field's path, so a loader keeps going and reports every mistake at once.
 */
import {
  cappedAbove,
  DistributionSpecError,
  parseDistribution,
  type Distribution,
  type QuantileDistribution,
} from '../engine/distributions.js';
import { parseDuration } from '../model/duration.js';
import { parseResourceValue } from '../model/quantity.js';
import { parseRate } from '../model/rate.js';
import { renderFound, UnitError } from '../model/units-error.js';
import type { Path } from './errors.js';
import { FOREVER_MS } from './limits.js';
import type { Issues, SourceDoc } from './source.js';

export type Obj = Record<string, unknown>;

export const EXPECTED_NON_NEGATIVE_DURATION = 'a non-negative duration';

function nonNegativeDuration(x: unknown): number {
  const ms = parseDuration(x as string | number);
  if (ms < 0) throw new UnitError(EXPECTED_NON_NEGATIVE_DURATION, renderFound(x));
  return ms;
}

export class Reader {
  constructor(
    readonly issues: Issues,
    readonly src: SourceDoc,
  ) {}

  isObj(v: unknown): v is Obj {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }

  /** A mapping whose keys must all be among `known` (unknown fields are errors). */
  obj(v: unknown, path: Path, known?: readonly string[]): Obj | undefined {
    if (!this.isObj(v)) {
      this.issues.expected(this.src, path, 'a map', v);
      return undefined;
    }
    if (known) {
      for (const key of Object.keys(v)) {
        if (!known.includes(key)) {
          this.issues.at(
            this.src,
            [...path, key],
            `unknown field; expected one of ${known.join(', ')}`,
          );
        }
      }
    }
    return v;
  }

  list(v: unknown, path: Path): unknown[] | undefined {
    if (!Array.isArray(v)) {
      this.issues.expected(this.src, path, 'a list', v);
      return undefined;
    }
    return v;
  }

  string(v: unknown, path: Path, what = 'a string'): string | undefined {
    if (typeof v !== 'string' || v === '') {
      this.issues.expected(this.src, path, what, v);
      return undefined;
    }
    return v;
  }

  /** An RFC 1123 name (lower-case alphanumerics and '-', '.'). */
  name(v: unknown, path: Path): string | undefined {
    const s = this.string(v, path, 'a name (lower-case letters, digits, - and .)');
    if (s === undefined) return undefined;
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s) || s.length > 253) {
      this.issues.expected(this.src, path, 'a name (lower-case letters, digits, - and .)', s);
      return undefined;
    }
    return s;
  }

  bool(v: unknown, path: Path): boolean | undefined {
    if (typeof v !== 'boolean') {
      this.issues.expected(this.src, path, 'true or false', v);
      return undefined;
    }
    return v;
  }

  int(v: unknown, path: Path, min = -Infinity, max = Infinity): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.issues.expected(this.src, path, describeRange('an integer', min, max), v);
      return undefined;
    }
    if (v < min || v > max) {
      this.issues.expected(this.src, path, describeRange('an integer', min, max), v);
      return undefined;
    }
    return v;
  }

  number(v: unknown, path: Path, min = -Infinity, max = Infinity): number | undefined {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.issues.expected(this.src, path, describeRange('a number', min, max), v);
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(v: unknown, path: Path, values: readonly T[]): T | undefined {
    if (typeof v !== 'string' || !values.includes(v as T)) {
      this.issues.expected(this.src, path, `one of ${values.join(', ')}`, v);
      return undefined;
    }
    return v as T;
  }

  /** A Go-style duration in ms; negative durations are refused unless allowed. */
  duration(v: unknown, path: Path, allowNegative = false): number | undefined {
    try {
      const ms = parseDuration(v as string | number);
      if (!allowNegative && ms < 0) {
        this.issues.expected(this.src, path, EXPECTED_NON_NEGATIVE_DURATION, v);
        return undefined;
      }
      return ms;
    } catch (e) {
      return this.unitError(e, path, v, 'a duration with a unit (e.g. 90s, 5m, 1h30m)');
    }
  }

  /** A Kubernetes quantity converted for the named resource (cpu → millicores). */
  quantity(
    v: unknown,
    path: Path,
    resourceName: string,
    allowNegative = false,
  ): number | undefined {
    try {
      const n = parseResourceValue(resourceName, v as string | number);
      if (!allowNegative && n < 0) {
        this.issues.expected(this.src, path, 'a non-negative quantity', v);
        return undefined;
      }
      return n;
    } catch (e) {
      return this.unitError(e, path, v, 'a Kubernetes quantity (e.g. 500m, 2, 1Gi)');
    }
  }

  /**
   * Events per ms, greater than 0 unless `allowZero` (a diurnal trough may be 0; an arrival
   * process that never fires is a workload to delete, not one to run).
   */
  rate(v: unknown, path: Path, allowZero = false): number | undefined {
    let perMs: number;
    try {
      perMs = parseRate(v as string);
    } catch (e) {
      return this.unitError(e, path, v, 'a rate like 2/s, 30/m or 100/h');
    }
    if (!Number.isFinite(perMs) || (perMs === 0 && !allowZero)) {
      const what = allowZero ? 'a finite rate' : 'a rate greater than 0';
      this.issues.expected(this.src, path, `${what} (e.g. 2/s, 30/m or 100/h)`, v);
      return undefined;
    }
    return perMs;
  }

  /**
   * A distribution of durations (ms), e.g. `{exponential: {mean: 30m}}` or `5s`. Every value in
   * it is a non-negative duration; a sample beyond the longest run (an extreme draw of a heavy
   * tail) is taken as FOREVER_MS, which no run reaches.
   */
  durationDistribution(v: unknown, path: Path): Distribution | undefined {
    const d = this.distribution(v, path, nonNegativeDuration);
    return d && cappedAbove(d, FOREVER_MS);
  }

  distribution(
    v: unknown,
    path: Path,
    parseValue: (x: unknown, p: (string | number)[]) => number,
  ): QuantileDistribution | undefined {
    // A value that does not parse is reported where it is written (`….exponential.mean`).
    const located = (x: unknown, p: (string | number)[]): number => {
      try {
        return parseValue(x, p);
      } catch (e) {
        if (e instanceof UnitError) throw new DistributionSpecError(p, e.expected, e.found);
        throw e;
      }
    };
    try {
      return parseDistribution(v, located, [...path]);
    } catch (e) {
      if (e instanceof DistributionSpecError) {
        this.issues.at(this.src, e.path, `expected ${e.expected}, found ${e.found}`);
        return undefined;
      }
      throw e;
    }
  }

  private unitError(e: unknown, path: Path, v: unknown, fallback: string): undefined {
    if (e instanceof UnitError) {
      this.issues.at(this.src, path, e.message);
    } else {
      this.issues.expected(this.src, path, fallback, v);
    }
    return undefined;
  }
}

function describeRange(what: string, min: number, max: number): string {
  if (min === -Infinity && max === Infinity) return what;
  if (max === Infinity) return `${what} ≥ ${min}`;
  if (min === -Infinity) return `${what} ≤ ${max}`;
  return `${what} from ${min} to ${max}`;
}
