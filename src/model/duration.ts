/**
 * Durations with the syntax of Go's time.ParseDuration (what Kubernetes uses for metav1.Duration and
 * component flags), plus `d` = 24h, a ksim extension for long simulations:
 *
 *   [-+]? ( [0-9]* (.[0-9]*)? unit )+     unit ∈ ns us µs μs ms s m h d     or just "0"
 *
 * As in Go: each number needs a digit before or after the point ("1.h" and ".5h" are fine, "." is
 * not), units are case-sensitive, nothing separates the parts ("1h-5m" is an error) and the total
 * must fit time.Duration (±2^63-1 ns, about 2562047h).
 *
 * ksim's clock counts whole milliseconds, so the exact total is rounded to the nearest millisecond,
 * halves away from zero: "500us" is 1ms, "499us" and "1ns" are 0.
 */
import { UnitError, renderFound } from './units-error.js';

export const EXPECTED_DURATION = 'a duration with a unit (e.g. 90s, 5m, 1h30m)';
export const EXPECTED_DURATION_RANGE = 'a duration within ±2562047h';
export const EXPECTED_SECONDS = 'an integer number of seconds (e.g. 300)';

const NS_PER_MS = 1_000_000n;
const MAX_NS = (1n << 63n) - 1n;

const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek small letter mu
  ['ms', NS_PER_MS],
  ['s', 1_000n * NS_PER_MS],
  ['m', 60_000n * NS_PER_MS],
  ['h', 3_600_000n * NS_PER_MS],
  ['d', 86_400_000n * NS_PER_MS],
]);

/** One `<number><unit>` part; the unit runs until the next digit or point, as in Go. */
const PART = /([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/y;

interface Part {
  digits: bigint;
  fractionDigits: number;
  unitNs: bigint;
}

/** Parses a duration to integer milliseconds. A YAML number has no unit, so only 0 is accepted. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (input === 0) return 0;
    throw invalid(input);
  }
  if (typeof input !== 'string') throw invalid(input);

  let rest = input;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid(input);

  const parts = parseParts(rest, input);
  // Sum exactly over a common power of ten, so "0.1s0.2s" is 300ms with no float error.
  const scale = Math.max(...parts.map((p) => p.fractionDigits));
  let scaledNs = 0n;
  for (const p of parts) scaledNs += p.digits * p.unitNs * 10n ** BigInt(scale - p.fractionDigits);
  const denominator = 10n ** BigInt(scale);
  if (scaledNs > MAX_NS * denominator)
    throw new UnitError(EXPECTED_DURATION_RANGE, renderFound(input));

  const ms = Number(roundHalfUp(scaledNs, NS_PER_MS * denominator));
  return negative && ms !== 0 ? -ms : ms;
}

function parseParts(text: string, input: string): Part[] {
  const parts: Part[] = [];
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) throw invalid(input);
    const [, whole, fraction = '', unit] = match;
    const unitNs = UNIT_NS.get(unit);
    if (whole.length + fraction.length === 0 || unitNs === undefined) throw invalid(input);
    parts.push({ digits: BigInt(whole + fraction), fractionDigits: fraction.length, unitNs });
  }
  return parts;
}

function roundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

function invalid(input: unknown): UnitError {
  return new UnitError(EXPECTED_DURATION, renderFound(input));
}

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/**
 * Go's Duration.String() without its zero parts ("1h30m", not "1h30m0s"), so that it reads well
 * in reports and parses back to the same value. Milliseconds are the simulator's resolution, so a
 * fractional input is rounded to the nearest one. Days are not used, as in Go.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`duration must be finite, got ${ms}`);
  const magnitude = Math.round(Math.abs(ms));
  if (magnitude === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  if (magnitude < MS_PER_SECOND) return `${sign}${magnitude}ms`;

  const hours = Math.floor(magnitude / MS_PER_HOUR);
  const minutes = Math.floor((magnitude % MS_PER_HOUR) / MS_PER_MINUTE);
  const millis = magnitude % MS_PER_MINUTE;
  let text = sign;
  if (hours > 0) text += `${hours}h`;
  if (minutes > 0) text += `${minutes}m`;
  if (millis > 0) text += `${formatSeconds(millis)}s`;
  return text;
}

/** 3500 → "3.5", 3000 → "3", 50 → "0.05": whole seconds and the millisecond digits that matter. */
function formatSeconds(millis: number): string {
  const whole = Math.floor(millis / MS_PER_SECOND);
  const fraction = millis % MS_PER_SECOND;
  if (fraction === 0) return `${whole}`;
  return `${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
}

/**
 * Fields that Kubernetes declares as integer seconds (tolerationSeconds, activeDeadlineSeconds,
 * terminationGracePeriodSeconds …), in milliseconds. Like the API, a string is not a number here.
 */
export function parseSeconds(input: string | number): number {
  if (typeof input !== 'number' || !Number.isInteger(input)) {
    throw new UnitError(EXPECTED_SECONDS, renderFound(input));
  }
  const ms = input * MS_PER_SECOND;
  if (!Number.isSafeInteger(ms)) throw new UnitError(EXPECTED_SECONDS, renderFound(input));
  return ms === 0 ? 0 : ms;
}
