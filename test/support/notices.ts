import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';

/**
 * A plausible notice as the workflow puts it in the outbox: a yellow reminder to the natural-resources officers that
 * land pre-review is due on 2025-10-13 (Asia/Shanghai); `overrides` replace fields.
 * @param dedupeKey the outbox's once-only key
 */
export function notice(dedupeKey: string, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    dedupeKey,
    projectCode: '2022-330602-39-03-000301',
    projectName: '高端装备制造基地项目',
    step: 'land_pre_review',
    stepName: 'Land-use pre-review',
    kind: 'yellow',
    recipients: [{ role: 'officers', department: 'natural_resources' }],
    department: 'natural_resources',
    dueAt: '2025-10-13T15:59:59.999Z',
    firedAt: '2025-10-09T16:00:00.000Z',
    overdueWorkingDays: 0,
    message: '用地预审将于 2025-10-13 到期 / Land pre-review is due on 2025-10-13',
    ...overrides,
  };
}
