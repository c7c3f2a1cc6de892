import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../libs/temporal/project.contract.js';
import { checkSearchAttributesAt, ensureSearchAttributes, SearchAttributesRefused } from '../../libs/temporal/search-attributes.js';
import { startDevServer } from '../support/temporal.js';

// The start-up check against a real server's Operator service, on namespaces created bare for the test.
describe('search attributes checked against the dev server', () => {
  let env: TestWorkflowEnvironment;

  /** Registers `namespace` and waits until the server's namespace cache knows it (a few seconds at most). */
  const freshNamespace = async (namespace: string): Promise<void> => {
    await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await env.connection.operatorService.listSearchAttributes({ namespace });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  const customOf = async (namespace: string) =>
    ({ ...(await env.connection.operatorService.listSearchAttributes({ namespace })).customAttributes }) as Record<string, number>;

  beforeAll(async () => {
    env = await startDevServer();
  }, 120_000);
  afterAll(async () => env?.teardown());

  it('registers all six on a bare namespace, logs each, and does nothing the second time', async () => {
    await freshNamespace('bare-district');
    const lines: string[] = [];
    const first = await ensureSearchAttributes(env.connection.operatorService, 'bare-district', (l) => lines.push(l));
    expect(first.registered.sort()).toEqual(SEARCH_ATTRIBUTE_REGISTRATIONS.map((a) => a.name).sort());
    expect(lines).toContain("registered search attribute NextDeadline (Datetime) on namespace 'bare-district'");
    const custom = await customOf('bare-district');
    for (const a of SEARCH_ATTRIBUTE_REGISTRATIONS) expect(custom[a.name]).toBe(a.indexedValueType);

    const address = env.connection.options.address;
    const again: string[] = [];
    expect(await checkSearchAttributesAt(address, 'bare-district', (l) => again.push(l), 5_000)).toBe('checked');
    expect(again).toEqual([]);
  }, 60_000);

  it('refuses a namespace where a name exists with another type, naming the command', async () => {
    await freshNamespace('odd-district');
    await env.connection.operatorService.addSearchAttributes({ namespace: 'odd-district', searchAttributes: { Light: 1 } }); // Text
    const err = await ensureSearchAttributes(env.connection.operatorService, 'odd-district').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchAttributesRefused);
    expect((err as Error).message).toContain('temporal operator search-attribute create --namespace odd-district --name Light --type Keyword');
    expect(Object.keys(await customOf('odd-district'))).toEqual(['Light']); // nothing registered beside it
  }, 60_000);
});
