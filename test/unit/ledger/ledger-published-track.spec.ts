import { describe, expect, it } from '@jest/globals';
import { addPublishedTrackDefinition } from '../../../libs/domain/index.js';
import { readCsvLedger } from '../../../libs/ledger/ledger-csv.js';
import { readLedgerImport } from '../../../libs/ledger/ledger-import-rows.js';

/*
 * A ledger names a track published at run time by its key or by its definition's name, as it names a shipped one by
 * the ledger's word; a word no released track has is a problem listing every track.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '区政府工作方案', confidence: 'low' });

addPublishedTrackDefinition({
  track: 'pilot_ledger',
  version: 1,
  name: 'Pilot withdrawal',
  nameZh: '退出试点',
  finalStep: 'done',
  reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
  projectDeadlines: [],
  stages: [{ key: 'only', name: 'Only', nameZh: '唯一' }],
  steps: [
    { key: 'start', name: 'Start', nameZh: '开始', stage: 'only', department: 'economy_information', dependsOn: [], limit: wd(5) },
    { key: 'done', name: 'Done', nameZh: '完成', stage: 'only', department: 'natural_resources', dependsOn: ['start'], limit: wd(5) },
  ],
});

const code = (n: number): string => `2022-330602-39-03-${String(700 + n).padStart(6, '0')}`;

function read(...tracks: string[]) {
  const csv = ['项目代码,项目名称,项目类型,所在区域,签约日期', ...tracks.map((t, i) => `${code(i)},企业${i},${t},越城区,2022-03-05`)].join('\n');
  return readLedgerImport(readCsvLedger(new TextEncoder().encode(csv)).table).rows;
}

describe('ledger import of a track published at run time', () => {
  it('reads its key, its Chinese and English names, and still the words of the shipped tracks', () => {
    const rows = read('pilot_ledger', '退出试点', 'pilot withdrawal', '一般工业项目');

    expect(rows.map((r) => [r.registration.track, r.problems])).toEqual([
      ['pilot_ledger', []],
      ['pilot_ledger', []],
      ['pilot_ledger', []],
      ['standard', []],
    ]);
  });

  it('refuses a word no released track has, listing every track with its name', () => {
    const [row] = read('商业综合体');

    expect(row!.problems.map((p) => [p.column, p.problem])).toEqual([['项目类型', expect.stringMatching(/^'商业综合体' is not one of: standard, bonded_zone, relocation, pilot_ledger \(一般工业项目, 综保区项目, 企业搬迁退出, 退出试点\)$/)]]);
  });
});
