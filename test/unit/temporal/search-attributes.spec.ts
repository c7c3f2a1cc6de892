import { describe, expect, it } from '@jest/globals';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../../libs/temporal/project.contract.js';
import { ensureSearchAttributes, SearchAttributesRefused, type SearchAttributeOperator } from '../../../libs/temporal/search-attributes.js';

const ALL = Object.fromEntries(SEARCH_ATTRIBUTE_REGISTRATIONS.map((a) => [a.name, a.indexedValueType]));

/** An Operator service over an in-memory namespace; `refuseAdd` makes addSearchAttributes fail with that gRPC code. */
function fakeOperator(initial: Record<string, number>, refuseAdd?: { code: number; details: string }) {
  const attributes: Record<string, number> = { ...initial };
  const adds: Array<Record<string, number>> = [];
  const operator: SearchAttributeOperator = {
    listSearchAttributes: async ({ namespace }) => {
      expect(namespace).toBe('district');
      return { customAttributes: { ...attributes } };
    },
    addSearchAttributes: async ({ searchAttributes }) => {
      if (refuseAdd) throw Object.assign(new Error(refuseAdd.details), refuseAdd);
      adds.push(searchAttributes);
      Object.assign(attributes, searchAttributes);
      return {};
    },
  };
  return { operator, adds, attributes };
}

describe('the search attributes the workflow sets, checked at start', () => {
  it('registers the missing ones and logs each', async () => {
    const { operator, adds, attributes } = fakeOperator({ ProjectStage: 2, District: 2 });
    const lines: string[] = [];
    const result = await ensureSearchAttributes(operator, 'district', (l) => lines.push(l));
    expect(result.registered).toEqual(['ProjectTrack', 'Light', 'OverdueSteps', 'NextDeadline']);
    expect(adds).toEqual([{ ProjectTrack: 2, Light: 2, OverdueSteps: 3, NextDeadline: 6 }]);
    expect(attributes).toEqual(ALL);
    expect(lines).toEqual([
      "registered search attribute ProjectTrack (Keyword) on namespace 'district'",
      "registered search attribute Light (Keyword) on namespace 'district'",
      "registered search attribute OverdueSteps (Int) on namespace 'district'",
      "registered search attribute NextDeadline (Datetime) on namespace 'district'",
    ]);
  });

  it('does nothing when all are present with their types (other custom attributes are left alone)', async () => {
    const { operator, adds } = fakeOperator({ ...ALL, CustomerId: 2 });
    const lines: string[] = [];
    expect(await ensureSearchAttributes(operator, 'district', (l) => lines.push(l))).toEqual({ registered: [] });
    expect(adds).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('refuses a name that exists with another type, with the command, and registers nothing', async () => {
    const { NextDeadline: _missing, ...rest } = ALL;
    const { operator, adds } = fakeOperator({ ...rest, Light: 1 });
    const err = await ensureSearchAttributes(operator, 'district').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchAttributesRefused);
    const refused = err as SearchAttributesRefused;
    expect(refused.message).toContain('Light must be Keyword but the namespace has it as Text');
    expect(refused.message).toContain('temporal operator search-attribute create --namespace district --name Light --type Keyword');
    expect(refused.commands).toContain('temporal operator search-attribute create --namespace district --name Light --type Keyword');
    expect(refused.message).toContain('--name NextDeadline --type Datetime');
    expect(adds).toEqual([]);
  });

  it('refuses with one command per missing attribute when the server will not register them (no permission)', async () => {
    const { operator } = fakeOperator({ ProjectStage: 2 }, { code: 7, details: 'Request unauthorized.' });
    const err = await ensureSearchAttributes(operator, 'district').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchAttributesRefused);
    const refused = err as SearchAttributesRefused;
    expect(refused.commands).toEqual([
      'temporal operator search-attribute create --namespace district --name ProjectTrack --type Keyword',
      'temporal operator search-attribute create --namespace district --name District --type Keyword',
      'temporal operator search-attribute create --namespace district --name Light --type Keyword',
      'temporal operator search-attribute create --namespace district --name OverdueSteps --type Int',
      'temporal operator search-attribute create --namespace district --name NextDeadline --type Datetime',
    ]);
    expect(refused.message).toContain('Request unauthorized.');
    for (const command of refused.commands) expect(refused.message).toContain(command);
    expect(refused.message).not.toContain('--name ProjectStage');
  });

  it('refuses the same way when the server has no Operator service (UNIMPLEMENTED on list)', async () => {
    const operator: SearchAttributeOperator = {
      listSearchAttributes: async () => Promise.reject(Object.assign(new Error('unimplemented'), { code: 12, details: 'unknown service' })),
      addSearchAttributes: async () => ({}),
    };
    const err = (await ensureSearchAttributes(operator, 'district').catch((e: unknown) => e)) as SearchAttributesRefused;
    expect(err).toBeInstanceOf(SearchAttributesRefused);
    expect(err.commands).toHaveLength(SEARCH_ATTRIBUTE_REGISTRATIONS.length);
  });

  it('passes a transport failure through (the caller retries), not as a refusal', async () => {
    const operator: SearchAttributeOperator = {
      listSearchAttributes: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 14 })),
      addSearchAttributes: async () => ({}),
    };
    const err = await ensureSearchAttributes(operator, 'district').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(SearchAttributesRefused);
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('accepts a registration another process made at the same moment (ALREADY_EXISTS)', async () => {
    const state = fakeOperator({});
    const operator: SearchAttributeOperator = {
      listSearchAttributes: state.operator.listSearchAttributes,
      addSearchAttributes: async (req) => {
        Object.assign(state.attributes, ALL);
        return Promise.reject(Object.assign(new Error('exists'), { code: 6, details: req.namespace }));
      },
    };
    expect(await ensureSearchAttributes(operator, 'district')).toEqual({ registered: expect.any(Array) });
  });
});
