import { describe, expect, it } from '@jest/globals';
import { latestTrackDefinition } from '../../../libs/domain/index.js';
import { planPosition } from '../../../libs/ledger/ledger-position-plan.js';

const STANDARD = latestTrackDefinition('standard');

describe(planPosition.name, () => {
  it('registers at 09:00 of the signing day and orders actions by day, then definition order, acceptance before decision', () => {
    const plan = planPosition(
      '2022-03-05',
      [
        { row: 3, step: 'land_prereview', state: 'in_review', acceptedOn: '2022-03-05', decidedOn: null },
        { row: 2, step: 'project_filing', state: 'approved', acceptedOn: '2022-03-05', decidedOn: '2022-03-10' },
        { row: 4, step: 'eia_approval', state: 'waived', acceptedOn: null, decidedOn: '2022-03-10' },
      ],
      STANDARD,
    );
    expect(plan).toEqual({
      registeredAt: '2022-03-05T09:00:00+08:00',
      actions: [
        { step: 'project_filing', action: 'accept', occurredAt: '2022-03-05T09:01:00+08:00', comment: null },
        { step: 'land_prereview', action: 'accept', occurredAt: '2022-03-05T09:02:00+08:00', comment: null },
        { step: 'project_filing', action: 'approve', occurredAt: '2022-03-10T09:00:00+08:00', comment: null },
        { step: 'eia_approval', action: 'waive', occurredAt: '2022-03-10T09:01:00+08:00', comment: '容缺（台账导入，容缺材料见纸质件）' },
      ],
    });
  });

  it('brings delivered, rejected and supplement-requested steps there; leaves blocked, ready and received steps as registered', () => {
    const plan = planPosition(
      '2022-03-05',
      [
        { row: 2, step: 'project_filing', state: 'delivered', acceptedOn: null, decidedOn: '2022-03-08' },
        { row: 3, step: 'land_prereview', state: 'supplement_requested', acceptedOn: '2022-03-07', decidedOn: null },
        { row: 4, step: 'land_auction', state: 'blocked', acceptedOn: null, decidedOn: null },
      ],
      STANDARD,
    );
    expect(plan.actions.map((a) => `${a.occurredAt.slice(0, 16)} ${a.step} ${a.action}`)).toEqual([
      '2022-03-07T09:00 land_prereview accept',
      '2022-03-07T09:01 land_prereview return',
      '2022-03-08T09:00 project_filing accept',
      '2022-03-08T09:01 project_filing approve',
      '2022-03-08T09:02 project_filing deliver',
    ]);
  });
});
