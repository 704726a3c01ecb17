/**
 * Event rates for arrival processes and fault injection: "2/s", "0.5/m", "120/h", "10/d". The
 * count is a non-negative decimal; the period is one unit (no "2/5s"), so a rate reads one way.
 * The engine counts milliseconds, so a rate is events per millisecond.
 */
import { UnitError, renderFound } from './units-error.js';

export const EXPECTED_RATE = 'a rate like 2/s, 30/m or 100/h';

const PERIOD_MS: ReadonlyMap<string, number> = new Map([
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);

const RATE = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\/([smhd])$/;

/** Events per millisecond. A bare YAML number is refused: without a period it has no meaning. */
export function parseRate(input: string | number): number {
  const match = typeof input === 'string' ? RATE.exec(input) : null;
  if (match === null) throw new UnitError(EXPECTED_RATE, renderFound(input));
  const [, count, period] = match;
  return Number(count) / (PERIOD_MS.get(period) as number);
}

/**
 * A rate in the shortest period that gives a whole count ("2/m" rather than "0.0333/s"), else the
 * shortest that gives at most three decimals ("0.5/d"), else six significant digits in the shortest
 * period with a count of at least one (one per 7 seconds prints as "8.57143/m").
 */
export function formatRate(perMs: number): string {
  if (!Number.isFinite(perMs) || perMs < 0) {
    throw new RangeError(`rate must be a non-negative finite number, got ${perMs}`);
  }
  if (perMs === 0) return '0/s';
  const counts = [...PERIOD_MS].map(([unit, ms]) => [unit, clean(perMs * ms)] as const);
  const whole = counts.find(([, n]) => Number.isInteger(n));
  if (whole) return `${whole[1]}/${whole[0]}`;
  const short = counts.find(([, n]) => Number.isInteger(clean(n * 1000)));
  if (short) return `${short[1]}/${short[0]}`;
  const [unit, count] = counts.find(([, n]) => n >= 1) ?? counts[counts.length - 1];
  return `${Number(count.toPrecision(6))}/${unit}`;
}

/** Drops the float noise of the ms conversion (120/3600000 × 60000 is 1.9999999999999998). */
function clean(n: number): number {
  return Number(n.toPrecision(12));
}
