import { describe, expect, it } from '@jest/globals';
import { PostEventDto } from '../../../apps/api/src/events/dto/post-event.dto.js';
import { fieldErrors } from './validate-body.js';

const EVENT = { projectCode: '2022-330602-39-03-000101', kind: 'land_price_paid', occurredAt: '2022-06-20T10:00:00+08:00' };

describe('PostEventDto: the shape of an inbound fact', () => {
  it.each<[string, Record<string, unknown>]>([
    ['the minimal event', EVENT],
    ['a UTC instant with milliseconds', { ...EVENT, occurredAt: '2022-06-20T02:00:00.123Z' }],
    ['a reference and an amount', { ...EVENT, reference: '缴款书 330600-2022-001234', amountYuan: '36500000.50' }],
    ['null reference and amount', { ...EVENT, reference: null, amountYuan: null }],
  ])('accepts %s', async (_name, body) => {
    expect(await fieldErrors(PostEventDto, body)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['no project code', { kind: EVENT.kind, occurredAt: EVENT.occurredAt }, 'projectCode', /project code/],
    ['a malformed project code', { ...EVENT, projectCode: '2022-330602' }, 'projectCode', /national 24-character format/],
    ['an unknown kind', { ...EVENT, kind: 'land_contract_signed' }, 'kind', /kind must be one of: land_price_paid/],
    ['no occurredAt', { projectCode: EVENT.projectCode, kind: EVENT.kind }, 'occurredAt', /ISO 8601 instant with offset/],
    ['a date without a time', { ...EVENT, occurredAt: '2022-06-20' }, 'occurredAt', /ISO 8601 instant with offset/],
    ['an instant without an offset', { ...EVENT, occurredAt: '2022-06-20T10:00:00' }, 'occurredAt', /with offset/],
    ['an amount as a number', { ...EVENT, amountYuan: 36500000 }, 'amountYuan', /decimal string in yuan/],
    ['an amount with 3 decimals', { ...EVENT, amountYuan: '1.005' }, 'amountYuan', /decimal string in yuan/],
    ['a negative amount', { ...EVENT, amountYuan: '-5' }, 'amountYuan', /decimal string in yuan/],
    ['a blank reference', { ...EVENT, reference: '  ' }, 'reference', /blank/],
    ['a reference of 201 characters', { ...EVENT, reference: 'x'.repeat(201) }, 'reference', /1–200 characters/],
    ['an unknown field', { ...EVENT, eventId: 'e-1' }, 'eventId', /should not exist/],
  ])('refuses %s, naming the field', async (_name, body, field, message) => {
    const errors = await fieldErrors(PostEventDto, body);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(errors.find((e) => e.field === field)!.message).toMatch(message);
  });
});

const SIGNED = { id: 'TDGY-2022-000731', source: 'land-supply', type: 'land_contract_signed', projectCode: EVENT.projectCode, occurredAt: EVENT.occurredAt, data: {} };

describe('PostEventDto: the event shape { id, source, type, projectCode, occurredAt, data }', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an event with data', { ...SIGNED, data: { contractTerms: { preparationMonths: 6, buildMonths: 24 } } }],
    ['an event without data', { id: SIGNED.id, source: SIGNED.source, type: 'eia_approved', projectCode: SIGNED.projectCode, occurredAt: SIGNED.occurredAt }],
  ])('accepts %s', async (_name, body) => {
    expect(await fieldErrors(PostEventDto, body)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an unknown type', { ...SIGNED, type: 'land_sold' }, 'type', /type must be one of: project_filed, land_contract_signed/],
    // Missing fields of the event shape are refused 422 (the document states them optional: one body, two shapes).
    ['no id', { ...SIGNED, id: undefined }, 'id', /id is required in the event body/],
    ['no source', { ...SIGNED, source: undefined }, 'source', /source is required in the event body/],
    ['a source with capitals', { ...SIGNED, source: 'Land Supply' }, 'source', /configured source name/],
    ['an id and source without type', { id: 'e-1', source: 'land-supply', projectCode: SIGNED.projectCode, occurredAt: SIGNED.occurredAt }, 'type', /type is required in the event body/],
    ['kind beside type', { ...SIGNED, kind: 'land_price_paid' }, 'kind', /kind belongs to the former body/],
    ['data that is not an object', { ...SIGNED, data: 'x' }, 'data', /JSON object/],
  ])('refuses %s, naming the field', async (_name, body, field, message) => {
    const errors = await fieldErrors(PostEventDto, JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(errors.find((e) => e.field === field)!.message).toMatch(message);
  });
});
