import { describe, expect, it } from '@jest/globals';
import type { NotificationRequest } from '../../../libs/temporal/notification.contract.js';
import { CHANNEL_KEYS, isHttpUrl, parseChannelMap, routeNotification } from '../../../libs/notifications/index.js';

const base: NotificationRequest = {
  dedupeKey: '2022-330602-39-03-000101:eia:red:2025-10-13',
  projectCode: '2022-330602-39-03-000101',
  projectName: '高端装备制造基地项目',
  step: 'eia',
  stepName: 'Environmental impact assessment',
  kind: 'red',
  recipients: [
    { role: 'officers', department: 'ecology_environment' },
    { role: 'head', department: 'ecology_environment' },
  ],
  department: 'ecology_environment',
  dueAt: '2025-10-13T15:59:59.999Z',
  firedAt: '2025-10-13T16:00:00.000Z',
  overdueWorkingDays: 0,
  message: '环评审批已逾期 / EIA approval is overdue',
};
const SUPERVISORS = { role: 'supervisors' } as const;
const EE = 'https://hooks.example.org/ee';
const PO = 'https://hooks.example.org/po';
/** The channel a URL in the original form of NOTIFICATION_CHANNELS stands for. */
const hook = (url: string) => ({ kind: 'webhook', url }) as const;

describe(routeNotification.name, () => {
  it("sends department roles to the department's webhook, or to the log when it has none", () => {
    expect(routeNotification(base, { ecology_environment: hook(EE) })).toEqual([{ request: base, route: { channel: 'webhook', target: EE } }]);
    expect(routeNotification(base, { natural_resources: hook(EE) })).toEqual([{ request: base, route: { channel: 'log', target: null } }]);
  });

  it("sends a supervisors' notice to the supervisors' channel when configured, else to the department's", () => {
    const escalation: NotificationRequest = { ...base, kind: 'escalation', recipients: [SUPERVISORS] };
    expect(routeNotification(escalation, { ecology_environment: hook(EE), supervisors: hook(PO) })).toEqual([{ request: escalation, route: { channel: 'webhook', target: PO } }]);
    expect(routeNotification(escalation, { ecology_environment: hook(EE) })).toEqual([{ request: escalation, route: { channel: 'webhook', target: EE } }]);
    expect(routeNotification(escalation, {})).toEqual([{ request: escalation, route: { channel: 'log', target: null } }]);
  });

  it('splits a notice for both into two rows with deterministic dedupe keys', () => {
    const both: NotificationRequest = { ...base, kind: 'escalation', recipients: [...base.recipients, SUPERVISORS] };
    const routed = routeNotification(both, { supervisors: hook(PO) });

    expect(routed).toEqual([
      { request: { ...both, recipients: base.recipients }, route: { channel: 'log', target: null } },
      { request: { ...both, dedupeKey: `${both.dedupeKey}/supervisors`, recipients: [SUPERVISORS] }, route: { channel: 'webhook', target: PO } },
    ]);
    expect(routeNotification(both, { supervisors: hook(PO) })).toEqual(routed);
    expect(routeNotification(both, {})).toEqual([{ request: both, route: { channel: 'log', target: null } }]);
  });

  it('does not take inherited object keys for channels', () => {
    expect(routeNotification({ ...base, department: 'constructor' }, {})).toEqual([expect.objectContaining({ route: { channel: 'log', target: null } })]);
  });
});

describe(parseChannelMap.name, () => {
  it('reads a JSON object of channel keys to http(s) URLs', () => {
    expect(parseChannelMap(`{"natural_resources":"${EE}","supervisors":"http://10.0.0.5:8080/po?token=abc"}`)).toEqual({
      channels: { natural_resources: hook(EE), supervisors: hook('http://10.0.0.5:8080/po?token=abc') },
      problems: [],
    });
    expect(parseChannelMap('{}')).toEqual({ channels: {}, problems: [] });
    expect(CHANNEL_KEYS).toContain('supervisors');
  });

  it.each([
    ['{natural_resources: 1}', /is not valid JSON/],
    ['[]', /must be a JSON object/],
    ['"https://x.org"', /must be a JSON object/],
    ['null', /must be a JSON object/],
    [`{"tax_bureau":"${EE}"}`, /unknown channel 'tax_bureau'/],
    ['{"customs":"ftp://x.org/hook"}', /entry 'customs' must be an http:\/\/ or https:\/\/ URL/],
    ['{"customs":"hooks.example.org/ee"}', /must be an http/],
    ['{"customs":42}', /must be an http/],
  ])('refuses %s', (raw, problem) => {
    const parsed = parseChannelMap(raw);
    expect(parsed.channels).toBeNull();
    expect(parsed.problems.join('; ')).toMatch(problem);
  });
});

describe(isHttpUrl.name, () => {
  it.each([
    ['https://hooks.example.org/x', true],
    ['http://127.0.0.1:9000/', true],
    ['https://', false],
    ['mailto:po@example.org', false],
    ['javascript:alert(1)', false],
    ['https://exa mple.org', false],
    ['', false],
  ])('%s → %p', (url, ok) => {
    expect(isHttpUrl(url)).toBe(ok);
  });
});
