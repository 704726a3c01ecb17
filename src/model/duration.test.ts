import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { formatDuration, parseDuration, parseSeconds } from './duration.js';
import { UnitError } from './units-error.js';

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

describe('parseDuration', () => {
  const cases: [string | number, number][] = [
    ['0', 0],
    ['+0', 0],
    ['-0', 0],
    [0, 0],
    ['0s', 0],
    ['300ms', 300],
    ['90s', 90000],
    ['5m', 300000],
    ['1.5h', 5400000],
    ['1h2m3.5s', 3723500],
    ['2d', 172800000],
    ['1d12h', 129600000],
    ['-5s', -5000],
    ['+5s', 5000],
    ['-1h30m', -5400000],
    ['1.h', 3600000], // Go accepts a point with no digits after it
    ['.5h', 1800000],
    ['0.5m', 30000],
    ['1.0000000000000000000001s', 1000],
    ['007s', 7000],
    ['1s1s', 2000], // Go allows a unit to repeat and adds the parts
    ['0.1s0.2s', 300],
    ['40s300ms', 40300],
    // every unit
    ['5000000ns', 5],
    ['5000us', 5],
    ['5000\u00b5s', 5],
    ['5000\u03bcs', 5],
    ['5ms', 5],
    ['5s', 5000],
    ['5m', 300000],
    ['5h', 18000000],
    ['5d', 432000000],
    // sub-millisecond parts round to the nearest ms, halves away from zero
    ['1ns', 0],
    ['499us', 0],
    ['500us', 1],
    ['0.5ms', 1],
    ['1499999ns', 1],
    ['1500us', 2],
    ['-0.5ms', -1],
    ['-0.4ms', 0],
    ['1.0005s', 1001],
    ['1.0004999s', 1000],
    // the edge of Go's time.Duration: 2^63-1 ns = 9223372036854.775807 ms
    ['9223372036854775807ns', 9223372036855],
    ['2562047h47m16.854775807s', 9223372036855],
    ['-2562047h', -9223369200000],
  ];
  it.each(cases)('%p is %p ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  const E = 'expected a duration with a unit (e.g. 90s, 5m, 1h30m), found ';
  const invalid: [string | number, string][] = [
    ['', `${E}""`],
    ['5', `${E}"5"`],
    ['00', `${E}"00"`],
    ['5x', `${E}"5x"`],
    ['5S', `${E}"5S"`],
    ['5 s', `${E}"5 s"`],
    [' 5s', `${E}" 5s"`],
    ['5s ', `${E}"5s "`],
    ['h', `${E}"h"`],
    ['.h', `${E}".h"`],
    ['.', `${E}"."`],
    ['-', `${E}"-"`],
    ['+-5s', `${E}"+-5s"`],
    ['--5s', `${E}"--5s"`],
    ['1h-5m', `${E}"1h-5m"`],
    ['1h5', `${E}"1h5"`],
    ['1.2.3s', `${E}"1.2.3s"`],
    ['1h.', `${E}"1h."`],
    ['1e3s', `${E}"1e3s"`],
    ['5sec', `${E}"5sec"`],
    ['1w', `${E}"1w"`],
    [5, `${E}5`],
    [1.5, `${E}1.5`],
    [-5, `${E}-5`],
    [NaN, `${E}NaN`],
    [Infinity, `${E}Infinity`],
  ];
  it.each(invalid)('%p fails with %p', (input, message) => {
    expect(thrown(() => parseDuration(input))).toEqual({ name: 'UnitError', message });
  });

  const tooLong: string[] = ['9223372036854775808ns', '2562048h', '106752d', '-106752d'];
  it.each(tooLong)('%p is beyond time.Duration and fails', (input) => {
    expect(thrown(() => parseDuration(input))).toEqual({
      name: 'UnitError',
      message: `expected a duration within ±2562047h, found ${JSON.stringify(input)}`,
    });
  });
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [90, '90ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1050, '1.05s'],
    [1005, '1.005s'],
    [60000, '1m'],
    [90000, '1m30s'],
    [123500, '2m3.5s'],
    [3600000, '1h'],
    [3600500, '1h0.5s'],
    [5400000, '1h30m'],
    [3723500, '1h2m3.5s'],
    [86400000, '24h'],
    [-5000, '-5s'],
    [-5400000, '-1h30m'],
    [-90, '-90ms'],
  ];
  it.each(cases)('%p ms prints as %p and parses back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  const fractional: [number, string][] = [
    [0.4, '0s'],
    [-0.4, '0s'],
    [0.5, '1ms'],
    [1499.6, '1.5s'],
  ];
  it.each(fractional)('a fractional %p ms is rounded to %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('rejects a non-finite duration as a bug', () => {
    expect(() => formatDuration(Infinity)).toThrow('duration must be finite, got Infinity');
  });

  it('round-trips every whole-millisecond duration time.Duration can hold', () => {
    const ms = fc.integer({ min: -9223372036854, max: 9223372036854 });
    fc.assert(fc.property(ms, (m) => parseDuration(formatDuration(m)) === m));
  });
});

describe('parseSeconds', () => {
  const cases: [number, number][] = [
    [0, 0],
    [-0, 0],
    [300, 300000],
    [1, 1000],
    [-1, -1000],
    [9007199254740, 9007199254740000],
  ];
  it.each(cases)('%p seconds is %p ms', (seconds, ms) => {
    expect(parseSeconds(seconds)).toBe(ms);
  });

  const E = 'expected an integer number of seconds (e.g. 300), found ';
  const invalid: [string | number, string][] = [
    ['300', `${E}"300"`],
    ['5m', `${E}"5m"`],
    [1.5, `${E}1.5`],
    [NaN, `${E}NaN`],
    [Infinity, `${E}Infinity`],
    [9007199254741, `${E}9007199254741`],
  ];
  it.each(invalid)('%p fails with %p', (input, message) => {
    expect(thrown(() => parseSeconds(input))).toEqual({ name: 'UnitError', message });
  });
});
