import { describe, expect, it } from '@jest/globals';
import { wrappedLines } from '../../../apps/api/src/exports/table-writers.js';

describe(wrappedLines.name, () => {
  it.each([
    ['one short line', 'no progress', 60, 1],
    ['two short lines', '超法定时限：节能审查\n无进展：19个工作日', 60, 2],
    ['30 CJK characters fill a 60-wide line exactly', '审'.repeat(30), 60, 1],
    ['31 CJK characters break onto a second line', '审'.repeat(31), 60, 2],
    ['Latin counts one per character', 'x'.repeat(61), 60, 2],
    ['full-width punctuation counts two', '（'.repeat(31), 60, 2],
    ['an empty line still takes a line', 'a\n\nb', 10, 3],
  ])('%s', (_case, text, width, lines) => {
    expect(wrappedLines(text, width)).toBe(lines);
  });
});
