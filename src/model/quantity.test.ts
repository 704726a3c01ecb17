import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  formatBytes,
  formatCpuMillis,
  parseBytes,
  parseCpuMillis,
  parseQuantity,
  parseQuantityValue,
  parseResourceValue,
  toMilliValue,
  toValue,
} from './quantity.js';
import { UnitError } from './units-error.js';

const MAX_NANOS = 9223372036854775807000000000n; // (2^63 - 1) base units, upstream maxAllowed

/** The error a call throws, reduced to what a user sees; an exact message, not a substring. */
function thrown(call: () => unknown): { name: string; message: string } | undefined {
  try {
    call();
  } catch (err) {
    if (!(err instanceof UnitError)) throw err;
    return { name: err.name, message: err.message };
  }
  return undefined;
}

describe('parseQuantity then MilliValue and Value', () => {
  // [input, MilliValue (rounded up), Value (rounded up)] worked by hand from value = digits × 10^e × 2^b;
  // null: the MilliValue is beyond 2^53 and must be refused.
  const cases: [string | number, number | null, number][] = [
    ['0', 0, 0],
    ['2', 2000, 2],
    ['100m', 100, 1],
    ['1.5', 1500, 2],
    ['0.5', 500, 1],
    ['.5', 500, 1],
    ['1.', 1000, 1],
    ['007', 7000, 7],
    ['+2', 2000, 2],
    // Quantity.UnmarshalJSON trims whitespace before parsing
    [' 1Gi ', 1073741824000, 1073741824],
    ['\t250m\n', 250, 1],
    // decimal SI suffixes
    ['5000000n', 5, 1],
    ['1n', 1, 1],
    ['2500u', 3, 1],
    ['250m', 250, 1],
    ['0.1m', 1, 1],
    ['3k', 3000000, 3000],
    ['2M', 2000000000, 2000000],
    ['4G', 4000000000000, 4000000000],
    ['1T', 1000000000000000, 1000000000000],
    ['2P', null, 2000000000000000],
    ['0.001E', null, 1000000000000000],
    // binary SI suffixes
    ['1Ki', 1024000, 1024],
    ['1Mi', 1048576000, 1048576],
    ['0.5Mi', 524288000, 524288],
    ['1Gi', 1073741824000, 1073741824],
    ['1.5Gi', 1610612736000, 1610612736],
    ['1Ti', 1099511627776000, 1099511627776],
    ['1Pi', null, 1125899906842624],
    // 2^60 / 1000 = 1152921504606846.976, rounded up
    ['0.001Ei', null, 1152921504606847],
    ['0.1Ki', 102400, 103],
    // decimal exponents
    ['1e3', 1000000, 1000],
    ['1E3', 1000000, 1000],
    ['1e+3', 1000000, 1000],
    ['1E+3', 1000000, 1000],
    ['12e6', 12000000000, 12000000],
    ['5e0', 5000, 5],
    ['25e-1', 2500, 3],
    ['1.5e-3', 2, 1],
    ['1e-9', 1, 1],
    // negatives round away from zero, like upstream's int64 path
    ['-500m', -500, -1],
    ['-1.5', -1500, -2],
    ['-0.1m', -1, -1],
    ['-0', 0, 0],
    // YAML numbers are read as the literal written
    [2, 2000, 2],
    [0.5, 500, 1],
    [0.1, 100, 1],
    [1e3, 1000000, 1000],
    [-3, -3000, -3],
    [1e-7, 1, 1],
  ];
  it.each(cases)('%p has MilliValue %p and Value %p', (input, milli, value) => {
    const q = parseQuantity(input);
    if (milli === null) expect(() => toMilliValue(q)).toThrow(UnitError);
    else expect(toMilliValue(q)).toBe(milli);
    expect(toValue(q)).toBe(value);
  });
});

describe('parseQuantity keeps the exact value in nanos', () => {
  const cases: [string, bigint][] = [
    ['1', 1000000000n],
    ['1.5Gi', 1610612736000000000n],
    ['0.1n', 1n], // upstream rounds a non-zero value up to 1n
    ['-0.1n', -1n],
    ['1e-20', 1n],
    ['1e-999999', 1n],
    ['0e999999', 0n],
    ['0.000e5', 0n],
    // 2^10 × 10^-10 = 102.4n, rounded up
    ['0.0000000001Ki', 103n],
    ['1e100', MAX_NANOS], // capped at upstream maxAllowed
    ['-1e100', -MAX_NANOS],
    ['1e2147483647', MAX_NANOS],
    ['123456789012345678901234567890e-30', 123456790n],
  ];
  it.each(cases)('%p is %p nanos', (input, nanos) => {
    expect(parseQuantity(input).nanos).toBe(nanos);
  });

  it('adds exactly where binary floating point would not', () => {
    expect(parseQuantity('0.1').nanos + parseQuantity('0.2').nanos).toBe(
      parseQuantity('0.3').nanos,
    );
  });
});

describe('parseQuantity rejects what upstream rejects', () => {
  const E = 'expected a Kubernetes quantity (e.g. 500m, 2, 1Gi), found ';
  const cases: [string | number, string][] = [
    ['', `${E}""`],
    ['1.2.3', `${E}"1.2.3"`],
    ['5 Gi', `${E}"5 Gi"`],
    ['1Gb', `${E}"1Gb"`],
    ['abc', `${E}"abc"`],
    ['1ki', `${E}"1ki"`],
    ['1K', `${E}"1K"`],
    ['--1', `${E}"--1"`],
    ['+-1', `${E}"+-1"`],
    ['1e', `${E}"1e"`],
    ['1ee3', `${E}"1ee3"`],
    ['1e3.5', `${E}"1e3.5"`],
    ['1e3Mi', `${E}"1e3Mi"`],
    ['1Mi3', `${E}"1Mi3"`],
    ['1me', `${E}"1me"`],
    ['0x10', `${E}"0x10"`],
    ['1_000', `${E}"1_000"`],
    ['  ', `${E}"  "`],
    ['1 Gi', `${E}"1 Gi"`],
    ['1,5', `${E}"1,5"`],
    ['1e2147483648', `${E}"1e2147483648"`],
    // upstream reads these as zero; ksim treats a number without digits as a typo
    ['m', `${E}"m"`],
    ['Ki', `${E}"Ki"`],
    ['e3', `${E}"e3"`],
    ['.', `${E}"."`],
    ['-', `${E}"-"`],
    [NaN, `${E}NaN`],
    [Infinity, `${E}Infinity`],
    [-Infinity, `${E}-Infinity`],
  ];
  it.each(cases)('%p fails with %p', (input, message) => {
    expect(thrown(() => parseQuantity(input))).toEqual({ name: 'UnitError', message });
  });
});

describe('conversions refuse values a double cannot hold exactly', () => {
  const cases: [string, () => number, string][] = [
    ['the largest safe byte count', () => parseBytes('9007199254740991'), ''],
    ['one byte more', () => parseBytes('9007199254740992'), '"9007199254740992"'],
    ['the largest safe millicore count', () => parseCpuMillis('9007199254740.991'), ''],
    ['a cpu whose millicores overflow', () => parseCpuMillis('9007199254741'), '"9007199254741"'],
    ['a capped huge quantity', () => parseQuantityValue('1e100'), '"1e100"'],
    ['a YAML number beyond 2^53', () => parseBytes(1e21), '1e+21'],
    ['a large negative', () => parseBytes('-9007199254740992'), '"-9007199254740992"'],
  ];
  it.each(cases)('%s', (_name, convert, found) => {
    if (found === '') expect(convert()).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    else {
      expect(thrown(convert)).toEqual({
        name: 'UnitError',
        message: `expected a quantity below 2^53, found ${found}`,
      });
    }
  });
});

describe('parseResourceValue uses the unit of framework.Resource', () => {
  const cases: [string, string | number, number][] = [
    ['cpu', '250m', 250],
    ['cpu', 2, 2000],
    ['cpu', '1n', 1],
    ['memory', '1Gi', 1073741824],
    ['memory', '0.5', 1],
    ['ephemeral-storage', '10G', 10000000000],
    ['pods', 110, 110],
    ['nvidia.com/gpu', '2', 2],
    ['hugepages-2Mi', '4Mi', 4194304],
  ];
  it.each(cases)('%s %p is %p', (name, input, expected) => {
    expect(parseResourceValue(name, input)).toBe(expected);
  });
});

describe('formatCpuMillis', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1m'],
    [500, '500m'],
    [1000, '1'],
    [1500, '1500m'],
    [2000, '2'],
    [-250, '-250m'],
    [-3000, '-3'],
  ];
  it.each(cases)('%p millicores print as %p', (millis, text) => {
    expect(formatCpuMillis(millis)).toBe(text);
    expect(parseCpuMillis(text)).toBe(millis);
  });

  it('rejects a fractional millicore count as a bug', () => {
    expect(() => formatCpuMillis(0.5)).toThrow('millicores must be a safe integer, got 0.5');
  });

  it('round-trips every safe millicore count', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (m) => parseCpuMillis(formatCpuMillis(m)) === m));
  });
});

describe('formatBytes', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1000, '1000'],
    [1023, '1023'],
    [1024, '1Ki'],
    [1025, '1025'],
    [1536, '1536'],
    [1572864, '1536Ki'],
    [1073741824, '1Gi'],
    [1610612736, '1536Mi'],
    [3298534883328, '3Ti'],
    [1125899906842624, '1Pi'],
    [4503599627370496, '4Pi'],
    [-2048, '-2Ki'],
  ];
  it.each(cases)('%p bytes print as %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
    expect(parseBytes(text)).toBe(bytes);
  });

  it('rejects a fractional byte count as a bug', () => {
    expect(() => formatBytes(1.5)).toThrow('bytes must be a safe integer, got 1.5');
  });

  it('round-trips every safe byte count, including multiples of large powers of two', () => {
    const bytes = fc.oneof(
      fc.maxSafeInteger(),
      fc
        .tuple(fc.integer({ min: -8191, max: 8191 }), fc.integer({ min: 0, max: 40 }))
        .map(([m, e]) => m * 2 ** e),
    );
    fc.assert(fc.property(bytes, (b) => parseBytes(formatBytes(b)) === b));
  });
});
