import { describe, expect, it } from '@jest/globals';
import { RegisterProjectDto } from '../../../apps/api/src/projects/dto/register-project.dto.js';
import { StepActionDto } from '../../../apps/api/src/projects/dto/step-action.dto.js';
import { fieldErrors } from './validate-body.js';

const REGISTRATION = { code: '2022-330602-39-03-000101', name: '高端装备制造基地项目', district: '越城区', signedAt: '2022-03-05' };

describe('StepActionDto: the shape of the statutory actions (issue 7)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['receive 收件', { action: 'receive' }],
    ['deliver 送达', { action: 'deliver', noticeOn: '2022-05-10' }],
    ['extend 延期 by 10 working days', { action: 'extend', extensionWorkingDays: 10, comment: '需现场核查' }],
    ['extend over the cap (the domain refuses it, not the DTO)', { action: 'extend', extensionWorkingDays: 60, comment: '需现场核查' }],
    ['extend of a joint group with the approval', { action: 'extend', extensionWorkingDays: 15, comment: '联合验收整改', approvalRef: '越政办〔2023〕12号', noticeOn: '2022-05-10' }],
    ['exclude an auction', { action: 'exclude', exclusionKind: 'auction', comment: '土地拍卖', noticeOn: '2022-05-10' }],
    ['exclude an unknown but well-formed kind (the domain refuses it)', { action: 'exclude', exclusionKind: 'site_survey', comment: '现场踏勘' }],
    ['end_exclusion', { action: 'end_exclusion' }],
    ['renew 延续 by 3 months', { action: 'renew', renewalMonths: 3, expiry: 'construction_permit_validity', comment: '未能按期开工' }],
    ['approve with contract terms', { action: 'approve', contractTerms: { preparationMonths: 6, buildMonths: 30 } }],
    ['approve with one contract term', { action: 'approve', contractTerms: { buildMonths: 24 } }],
    ['null optional fields', { action: 'accept', noticeOn: null, approvalRef: null, exclusionKind: null, expiry: null, contractTerms: null }],
  ])('accepts %s', async (_name, body) => {
    expect(await fieldErrors(StepActionDto, body)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an unknown action', { action: 'prolong' }, 'action', /action must be one of: receive, accept, .*extend, exclude, end_exclusion, renew/],
    ['extend without days', { action: 'extend', comment: '需现场核查' }, 'extensionWorkingDays', /extensionWorkingDays .*is required for extend/],
    ['extend by 0', { action: 'extend', extensionWorkingDays: 0, comment: 'x' }, 'extensionWorkingDays', /whole number of working days from 1 to 60/],
    ['extend by 61', { action: 'extend', extensionWorkingDays: 61, comment: 'x' }, 'extensionWorkingDays', /from 1 to 60/],
    ['extend by 2.5', { action: 'extend', extensionWorkingDays: 2.5, comment: 'x' }, 'extensionWorkingDays', /whole number/],
    ['extend by "10"', { action: 'extend', extensionWorkingDays: '10', comment: 'x' }, 'extensionWorkingDays', /whole number/],
    ['extend without a reason', { action: 'extend', extensionWorkingDays: 5 }, 'comment', /extend/],
    ['an empty approvalRef', { action: 'extend', extensionWorkingDays: 5, comment: 'x', approvalRef: '' }, 'approvalRef', /1–200 characters/],
    ['a blank approvalRef', { action: 'extend', extensionWorkingDays: 5, comment: 'x', approvalRef: '   ' }, 'approvalRef', /blank/],
    ['a long approvalRef', { action: 'extend', extensionWorkingDays: 5, comment: 'x', approvalRef: 'x'.repeat(201) }, 'approvalRef', /1–200 characters/],
    ['a noticeOn that is no date', { action: 'extend', extensionWorkingDays: 5, comment: 'x', noticeOn: '2022-02-30' }, 'noticeOn', /noticeOn '2022-02-30' is not a real date: February 2022 has 28 days/],
    ['a noticeOn with a time', { action: 'exclude', exclusionKind: 'auction', comment: 'x', noticeOn: '2022-05-10T10:00:00+08:00' }, 'noticeOn', /YYYY-MM-DD/],
    ['exclude without a kind', { action: 'exclude', comment: 'x' }, 'exclusionKind', /exclusionKind .*is required for exclude/],
    ['exclude with a kind that is not snake_case', { action: 'exclude', exclusionKind: 'Public-Notice', comment: 'x' }, 'exclusionKind', /snake_case/],
    ['exclude with a Chinese kind', { action: 'exclude', exclusionKind: '拍卖', comment: 'x' }, 'exclusionKind', /snake_case/],
    ['exclude without a reason', { action: 'exclude', exclusionKind: 'auction' }, 'comment', /exclude/],
    ['an expiry that is not snake_case', { action: 'renew', renewalMonths: 3, comment: 'x', expiry: 'permit validity' }, 'expiry', /snake_case/],
    ['renew without months', { action: 'renew', comment: 'x' }, 'renewalMonths', /renewalMonths .*is required for renew/],
    ['renew by 25 months', { action: 'renew', renewalMonths: 25, comment: 'x' }, 'renewalMonths', /from 1 to 24/],
    ['contractTerms that are not an object', { action: 'approve', contractTerms: 6 }, 'contractTerms', /must be an object/],
    ['contractTerms as an array', { action: 'approve', contractTerms: [6, 30] }, 'contractTerms', /must be an object/],
    ['a preparation period of 0 months', { action: 'approve', contractTerms: { preparationMonths: 0 } }, 'contractTerms.preparationMonths', /1 to 120/],
    ['a build period of 121 months', { action: 'approve', contractTerms: { buildMonths: 121 } }, 'contractTerms.buildMonths', /1 to 120/],
    ['a build period of "30"', { action: 'approve', contractTerms: { buildMonths: '30' } }, 'contractTerms.buildMonths', /whole number/],
    ['an unknown contract term', { action: 'approve', contractTerms: { buildMonths: 30, rentMonths: 2 } }, 'contractTerms.rentMonths', /should not exist/],
  ])('refuses %s, naming the field', async (_name, body, field, message) => {
    const errors = await fieldErrors(StepActionDto, body);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(errors.find((e) => e.field === field)!.message).toMatch(message);
  });
});

describe('RegisterProjectDto.approvalRoute (备案/核准)', () => {
  it.each([[{}], [{ approvalRoute: 'filing' }], [{ approvalRoute: 'approval' }]])('accepts %p', async (extra) => {
    expect(await fieldErrors(RegisterProjectDto, { ...REGISTRATION, ...extra })).toEqual([]);
  });

  it('refuses an unknown route, listing both', async () => {
    expect(await fieldErrors(RegisterProjectDto, { ...REGISTRATION, approvalRoute: 'approved' })).toEqual([
      { field: 'approvalRoute', message: 'approvalRoute must be one of: filing, approval (备案 or 核准)' },
    ]);
  });
});
