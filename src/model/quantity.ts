/**
 * Kubernetes resource quantities, parsed with the semantics of upstream
 * k8s.io/apimachinery/pkg/api/resource (quantity.go, suffix.go):
 *
 *   <quantity> ::= <sign>? <number> <suffix>
 *   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>   ::= n | u | m | "" | k | M | G | T | P | E        (decimal SI)
 *                | Ki | Mi | Gi | Ti | Pi | Ei                  (binary SI)
 *                | (e | E) <sign>? <digits>                     (decimal exponent)
 *
 * Like upstream, a parsed value is rounded away from zero to a whole nano (so "0.1n" is 1n), and
 * leading and trailing whitespace is ignored (Quantity.UnmarshalJSON trims it, so manifests may
 * carry it). Arithmetic is exact (BigInt): 0.1 + 0.2 problems cannot arise. Magnitudes beyond
 * 2^63-1 base units are capped there (upstream caps binary ones); no conversion accepts them anyway.
 *
 * Deliberate divergence: upstream reads a number with no digit at all ("m", "Ki", ".", "-") as zero;
 * ksim rejects it, since in a scenario it is always a typo.
 */
import { RESOURCE_CPU } from './resources.js';
import { UnitError, renderFound } from './units-error.js';

/** An exact quantity: its value is `nanos` × 10^-9 of the base unit (cores, bytes, pods…). */
export interface Quantity {
  readonly nanos: bigint;
  /** The input as given, kept for error messages. */
  readonly source: string | number;
}

export const EXPECTED_QUANTITY = 'a Kubernetes quantity (e.g. 500m, 2, 1Gi)';
export const EXPECTED_SAFE_QUANTITY = 'a quantity below 2^53';

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

const SHAPE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s;
const EXPONENT = /^[eE]([+-]?[0-9]+)$/;

/** Upstream maxAllowed: 2^63-1 base units. */
const MAX_NANOS = ((1n << 63n) - 1n) * 10n ** 9n;
/** Upstream parses the exponent as an integer and keeps 32 bits; anything wider is nonsense. */
const MAX_EXPONENT = 2 ** 31 - 1;

/** Parses a quantity string or a YAML number (read as the digits it was written with). */
export function parseQuantity(input: string | number): Quantity {
  const text = typeof input === 'number' ? numberText(input) : input;
  const shape = typeof text === 'string' ? SHAPE.exec(text.trim()) : null;
  if (shape === null) throw invalid(input);
  const [, sign, whole, fraction = '', suffix] = shape;
  if (whole.length + fraction.length === 0) throw invalid(input);

  let exp10: number;
  let exp2 = 0;
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  const binary = BINARY_SUFFIXES.get(suffix);
  const exponent = EXPONENT.exec(suffix);
  if (decimal !== undefined) exp10 = decimal;
  else if (binary !== undefined) {
    exp10 = 0;
    exp2 = binary;
  } else if (exponent !== null) {
    exp10 = Number(exponent[1]);
    if (Math.abs(exp10) > MAX_EXPONENT) throw invalid(input);
  } else throw invalid(input);

  const magnitude = toNanos(BigInt(whole + fraction) << BigInt(exp2), exp10 - fraction.length + 9);
  return { nanos: sign === '-' ? -magnitude : magnitude, source: input };
}

/** digits × 10^shift, rounded up to a whole nano and capped, as upstream ParseQuantity does. */
function toNanos(digits: bigint, shift: number): bigint {
  if (digits === 0n) return 0n;
  if (shift >= 0) {
    // 10^40 nanos already exceeds the cap; avoid building huge powers for "1e999999".
    if (shift > 40) return MAX_NANOS;
    const nanos = digits * 10n ** BigInt(shift);
    return nanos > MAX_NANOS ? MAX_NANOS : nanos;
  }
  // digits < 10^(number of digits) <= 10^-shift, so the value is a positive fraction of a nano.
  if (-shift > digits.toString().length) return 1n;
  return divideAwayFromZero(digits, 10n ** BigInt(-shift));
}

/** A YAML number means the literal the user wrote; JavaScript's shortest round-trip text is that. */
function numberText(input: number): string | undefined {
  return Number.isFinite(input) ? String(input) : undefined;
}

function invalid(input: unknown): UnitError {
  return new UnitError(EXPECTED_QUANTITY, renderFound(input));
}

/** Like upstream's rounding for ScaledValue: a remainder moves the result away from zero. */
function divideAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (n % d === 0n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

function toSafeNumber(value: bigint, q: Quantity): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UnitError(EXPECTED_SAFE_QUANTITY, renderFound(q.source));
  }
  return Number(value);
}

/**
 * Upstream Quantity.MilliValue(): thousandths of the base unit, rounded up (away from zero), so
 * a non-zero request never becomes zero: "0.1m" and "1n" are both 1.
 */
export function toMilliValue(q: Quantity): number {
  return toSafeNumber(divideAwayFromZero(q.nanos, 10n ** 6n), q);
}

/** Upstream Quantity.Value(): whole base units, rounded up (away from zero): "0.5" is 1. */
export function toValue(q: Quantity): number {
  return toSafeNumber(divideAwayFromZero(q.nanos, 10n ** 9n), q);
}

/** CPU as the scheduler counts it: millicores. */
export function parseCpuMillis(input: string | number): number {
  return toMilliValue(parseQuantity(input));
}

/** Memory and storage as the scheduler counts them: bytes. */
export function parseBytes(input: string | number): number {
  return toValue(parseQuantity(input));
}

/** Any count-like resource (pods, nvidia.com/gpu, …) in its base unit. */
export function parseQuantityValue(input: string | number): number {
  return toValue(parseQuantity(input));
}

/** A resource by name in the unit of upstream framework.Resource: cpu in millicores, the rest in base units. */
export function parseResourceValue(name: string, input: string | number): number {
  return name === RESOURCE_CPU ? parseCpuMillis(input) : parseQuantityValue(input);
}

function requireInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/** Millicores as kubectl shows them: whole cores without a suffix ("2"), otherwise "1500m". */
export function formatCpuMillis(millis: number): string {
  requireInteger(millis, 'millicores');
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}

const BINARY_DESCENDING = [...BINARY_SUFFIXES].reverse();

/** Bytes with the largest binary suffix that divides them exactly: "1Gi", "1536Mi", "1000". */
export function formatBytes(bytes: number): string {
  requireInteger(bytes, 'bytes');
  if (bytes === 0) return '0';
  for (const [suffix, exp2] of BINARY_DESCENDING) {
    // Powers of two divide a double exactly, so this is exact even near 2^53.
    const unit = 2 ** exp2;
    if (bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return `${bytes}`;
}
