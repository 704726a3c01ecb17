import { describe, expect, it } from '@jest/globals';
import { numberedLines, readCsvRows, splitCsvLine } from './csv-text.js';
import type { TraceError } from './record.js';

describe('splitCsvLine', () => {
  it.each([
    [
      'plain fields with their columns',
      'a,bc,,d',
      [
        ['a', 1],
        ['bc', 3],
        ['', 6],
        ['d', 7],
      ],
    ],
    [
      'a quoted field with a comma and an escaped quote',
      'x,"a,""b""",y',
      [
        ['x', 1],
        ['a,"b"', 3],
        ['y', 13],
      ],
    ],
    ['an empty line as one empty field', '', [['', 1]]],
    [
      'a trailing comma as a last empty field',
      'a,',
      [
        ['a', 1],
        ['', 3],
      ],
    ],
  ])('splits %s', (_name, text, expected) => {
    const fields = splitCsvLine(text);
    expect(Array.isArray(fields) ? fields.map((f) => [f.value, f.column]) : fields).toEqual(
      expected,
    );
  });

  it.each([
    ['an unterminated quote', 'a,"bc', 'unterminated quoted field starting at column 3'],
    ['text after a closing quote', '"a"b,c', 'unexpected character after quoted field at column 4'],
  ])('reports %s', (_name, text, message) => {
    expect(splitCsvLine(text)).toBe(message);
  });
});

describe('numberedLines', () => {
  it('drops a BOM, CR line ends and the empty line after a final newline', () => {
    expect([...numberedLines('\ufeffa\r\nb\n\nc\n')]).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 2 },
      { text: '', line: 3 },
      { text: 'c', line: 4 },
    ]);
  });
});

describe('readCsvRows', () => {
  it('numbers data rows including bad ones and reports a row with an open quote', () => {
    const errors: TraceError[] = [];
    const rows = [...readCsvRows('a,b\n1,2\n"3,4\n\n5,6\n', 'f.csv', { required: ['a'] }, errors)];
    expect(rows.map((r) => [r.line, r.index, r.get('b')?.value])).toEqual([
      [2, 0, '2'],
      [5, 2, '6'],
    ]);
    expect(errors.map(String)).toEqual(['f.csv:3: unterminated quoted field starting at column 1']);
  });

  it('reports a column named twice in the header', () => {
    const errors: TraceError[] = [];
    expect([...readCsvRows('a,a\n1,2\n', 'f.csv', { required: ['a'] }, errors)]).toEqual([]);
    expect(errors.map(String)).toEqual(['f.csv:1: header: column "a" appears twice']);
  });
});
