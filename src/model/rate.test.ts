import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { formatRate, parseRate } from './rate.js';
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

describe('parseRate', () => {
  // events per millisecond = count / period in ms
  const cases: [string, number][] = [
    ['2/s', 2 / 1000],
    ['0.5/m', 0.5 / 60000],
    ['120/h', 120 / 3600000],
    ['10/d', 10 / 86400000],
    ['0/s', 0],
    ['1000/s', 1],
    ['1./s', 1 / 1000],
    ['.5/s', 0.5 / 1000],
    ['007/m', 7 / 60000],
    ['3600000/h', 1],
    ['86400000/d', 1],
  ];
  it.each(cases)('%p is %p per ms', (input, perMs) => {
    expect(parseRate(input)).toBe(perMs);
  });

  const E = 'expected a rate like 2/s, 30/m or 100/h, found ';
  const invalid: [string | number, string][] = [
    ['', `${E}""`],
    ['2', `${E}"2"`],
    ['2/', `${E}"2/"`],
    ['/s', `${E}"/s"`],
    ['./s', `${E}"./s"`],
    ['2/1s', `${E}"2/1s"`],
    ['2/ms', `${E}"2/ms"`],
    ['2/S', `${E}"2/S"`],
    ['2/sec', `${E}"2/sec"`],
    ['2/w', `${E}"2/w"`],
    ['2 /s', `${E}"2 /s"`],
    ['2/ s', `${E}"2/ s"`],
    [' 2/s', `${E}" 2/s"`],
    ['-2/s', `${E}"-2/s"`],
    ['+2/s', `${E}"+2/s"`],
    ['1e3/s', `${E}"1e3/s"`],
    ['1.2.3/s', `${E}"1.2.3/s"`],
    ['2/s/s', `${E}"2/s/s"`],
    ['2s', `${E}"2s"`],
    [2, `${E}2`],
    [0, `${E}0`],
    [NaN, `${E}NaN`],
  ];
  it.each(invalid)('%p fails with %p', (input, message) => {
    expect(thrown(() => parseRate(input))).toEqual({ name: 'UnitError', message });
  });
});

describe('formatRate', () => {
  const cases: [string, string][] = [
    ['2/s', '2/s'],
    ['1000/s', '1000/s'],
    ['0/s', '0/s'],
    ['0/d', '0/s'],
    ['0.5/s', '30/m'], // a whole count in the shortest period that has one
    ['0.5/m', '30/h'],
    ['120/h', '2/m'],
    ['90/h', '90/h'], // whole counts beat shorter periods with decimals (not 1.5/m)
    ['10/d', '10/d'],
    ['0.5/d', '0.5/d'], // no period gives a whole count: the shortest with three decimals
    ['0.001/d', '0.001/d'],
    ['1.25/s', '75/m'],
    ['1.7/s', '102/m'],
  ];
  it.each(cases)('the rate %p prints as %p', (input, text) => {
    expect(formatRate(parseRate(input))).toBe(text);
  });

  it('keeps six significant digits when no period gives a short count', () => {
    // one per 7 s: 0.142857…/s, 8.571428…/m
    expect(formatRate(1 / 7000)).toBe('8.57143/m');
    // one per 7 days is below one per day in every period: fall back to days
    expect(formatRate(1 / (7 * 86400000))).toBe('0.142857/d');
  });

  it('rejects a negative or non-finite rate as a bug', () => {
    expect(() => formatRate(-1)).toThrow('rate must be a non-negative finite number, got -1');
    expect(() => formatRate(NaN)).toThrow('rate must be a non-negative finite number, got NaN');
  });

  it('parses back to the same rate within six significant digits', () => {
    const perMs = fc.double({ min: 1e-9, max: 1e3, noNaN: true });
    fc.assert(fc.property(perMs, (r) => Math.abs(parseRate(formatRate(r)) - r) <= r * 5e-6));
  });
});
