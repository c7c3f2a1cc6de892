import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createNotificationActivities } from '../../activities/notification.activities.js';
import { NotificationDispatcher, type DispatcherLogger } from '../../apps/worker/notification-dispatcher.js';
import { ChannelSender, messageIdOf, parseChannelMap, type NotificationChannelMap } from '../../libs/notifications/index.js';
import { NotificationOutboxRepository, type NotificationEntity } from '../../libs/persistence/index.js';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';
import { createTestDatabase } from '../support/database.js';
import { notice as baseNotice } from '../support/notices.js';
import {
  mailHeader,
  mailPart,
  startDingtalkReceiver,
  startSmtpReceiver,
  startWecomReceiver,
  type RobotReceiver,
  type SmtpReceiver,
} from '../support/robot-receivers.js';
import { eventually } from '../support/webhook-receiver.js';

/*
 * DingTalk, WeCom and e-mail channels end to end from the outbox: a notice routed by the configured channels, enqueued
 * in the real outbox (embedded PostgreSQL), delivered by the dispatcher to receivers started here that check requests
 * as the vendors document them. Back-off in tens of milliseconds.
 */

const BASE = 'https://xmsp.example.gov.cn';
const DING_TOKEN = 'ding-access-token-0123';
const DING_SECRET = 'SECd1ngta1k-secret-for-the-test';
const WECOM_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const SMTP_USER = 'notices@xmsp.example.gov.cn';
const SMTP_PASSWORD = 'smtp-password-for-the-test';
const FROM = '重大项目办 <notices@xmsp.example.gov.cn>';

/** A red notice: the construction permit of a battery-materials project, 3 working days over, to the officers and head. */
function notice(dedupeKey: string, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return baseNotice(dedupeKey, {
    projectCode: '2022-330602-39-03-000401',
    projectName: '钠离子电池正极材料项目',
    step: 'construction_permit',
    stepName: '建筑工程施工许可',
    kind: 'red',
    recipients: [
      { role: 'officers', department: 'housing_construction' },
      { role: 'head', department: 'housing_construction' },
    ],
    department: 'housing_construction',
    dueAt: '2025-10-13T16:00:00.000Z',
    overdueWorkingDays: 3,
    ...overrides,
  });
}

const quietLogger: DispatcherLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Channels as NOTIFICATION_CHANNELS would give them (parsed from JSON text). */
function channelsFrom(json: Record<string, unknown>): NotificationChannelMap {
  const parsed = parseChannelMap(JSON.stringify(json));
  if (!parsed.channels) throw new Error(parsed.problems.join('; '));
  return parsed.channels;
}

const emailChannel = (smtp: SmtpReceiver, password = SMTP_PASSWORD) => ({
  kind: 'email',
  smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: false, user: SMTP_USER, password },
  from: FROM,
  to: ['zjj-officer@xmsp.example.gov.cn', '住建局负责人 <zjj-head@xmsp.example.gov.cn>'],
});

describe('notification channels (DingTalk, WeCom, e-mail) through the outbox', () => {
  let ds: DataSource;
  let outbox: NotificationOutboxRepository;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    ({ dataSource: ds } = await createTestDatabase('channels'));
    outbox = new NotificationOutboxRepository(ds);
  }, 60_000);
  afterAll(async () => ds?.destroy());
  beforeEach(async () => {
    await ds.query('DELETE FROM notifications');
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** Enqueues `requests` as the workflow's activity does, and starts a dispatcher over `channels`. */
  async function deliver(channels: NotificationChannelMap, ...requests: NotificationRequest[]): Promise<void> {
    const { enqueueNotification } = createNotificationActivities({ outbox, channels });
    for (const r of requests) await enqueueNotification(r);
    const dispatcher = new NotificationDispatcher({
      outbox,
      logger: quietLogger,
      channelSender: new ChannelSender({ channels, publicBaseUrl: BASE, timeoutMs: 3_000 }),
      backoff: { baseMs: 40, maxMs: 200 },
      pollIntervalMs: 10,
      maxAttempts: 4,
      webhookTimeoutMs: 3_000,
    });
    dispatcher.start();
    closers.push(() => dispatcher.stop());
  }
  const settled = (key: string): Promise<NotificationEntity> =>
    eventually(`${key} to be delivered or dead`, async () => {
      const row = await outbox.findByDedupeKey(key);
      return row && row.state !== 'pending' ? row : undefined;
    });
  const robot = async (started: Promise<RobotReceiver>): Promise<RobotReceiver> => {
    const r = await started;
    closers.push(() => r.close());
    return r;
  };
  const smtpServer = async (started: Promise<SmtpReceiver>): Promise<SmtpReceiver> => {
    const s = await started;
    closers.push(() => s.close());
    return s;
  };

  describe('DingTalk robot', () => {
    it('delivers a signed markdown message in Chinese, with the link to the project; the outbox row holds no token', async () => {
      const ding = await robot(startDingtalkReceiver(DING_TOKEN, DING_SECRET));
      await deliver(channelsFrom({ housing_construction: { kind: 'dingtalk', url: ding.url, secret: DING_SECRET } }), notice('ding-1'));

      const row = await settled('ding-1');
      expect(row).toMatchObject({ state: 'delivered', attempts: 1, channel: 'dingtalk', target: 'housing_construction' });
      expect(ding.calls.map((c) => c.errcode)).toEqual([0]);
      const { markdown } = ding.calls[0]!.body as { markdown: { title: string; text: string } };
      expect(markdown.title).toBe('【红灯超期】钠离子电池正极材料项目');
      expect(markdown.text).toContain('- **环节**：建筑工程施工许可');
      expect(markdown.text).toContain('- **期限**：2025年10月13日（星期一）24:00 前');
      expect(markdown.text).toContain('- **超期**：已超期 3 个工作日');
      expect(markdown.text).toContain(`(${BASE}/projects/2022-330602-39-03-000401)`);
      expect(JSON.stringify(await ds.query('SELECT * FROM notifications'))).not.toContain(DING_TOKEN);
    });

    it('retries an answer with errcode ≠ 0 (130101: sending too fast) and delivers on the next attempt', async () => {
      const ding = await robot(startDingtalkReceiver(DING_TOKEN, DING_SECRET, (n) => (n === 1 ? { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } : undefined)));
      await deliver(channelsFrom({ housing_construction: { kind: 'dingtalk', url: ding.url, secret: DING_SECRET } }), notice('ding-busy'));

      const row = await settled('ding-busy');
      expect(row).toMatchObject({ state: 'delivered', attempts: 2 });
      expect(row.lastError).toBe('DingTalk errcode 130101: send too fast, exceed 20 times per minute');
      expect(ding.calls.map((c) => c.errcode)).toEqual([130101, 0]);
    });

    it('gives up at once on a signature the robot refuses (errcode 310000), without a secret in the error', async () => {
      const ding = await robot(startDingtalkReceiver(DING_TOKEN, DING_SECRET));
      await deliver(channelsFrom({ housing_construction: { kind: 'dingtalk', url: ding.url, secret: 'SECnot-the-robots-secret' } }), notice('ding-bad-sign'));

      const row = await settled('ding-bad-sign');
      expect(row).toMatchObject({ state: 'dead', attempts: 1, lastError: 'DingTalk errcode 310000: sign not match' });
      expect(ding.calls.map((c) => c.errcode)).toEqual([310000]);
    });
  });

  describe('WeCom robot', () => {
    it('delivers a markdown message to the key, and gives up on a key the robot does not know (93000)', async () => {
      const wecom = await robot(startWecomReceiver(WECOM_KEY));
      const wrongKey = wecom.url.replace(WECOM_KEY, 'another-key');
      await deliver(
        channelsFrom({ housing_construction: { kind: 'wecom', url: wecom.url }, customs: { kind: 'wecom', url: wrongKey } }),
        notice('wecom-1'),
        notice('wecom-wrong-key', { department: 'customs', recipients: [{ role: 'officers', department: 'customs' }] }),
      );

      expect(await settled('wecom-1')).toMatchObject({ state: 'delivered', attempts: 1, channel: 'wecom', target: 'housing_construction' });
      expect(await settled('wecom-wrong-key')).toMatchObject({ state: 'dead', attempts: 1, lastError: 'WeCom errcode 93000: invalid webhook url' });
      const delivered = wecom.calls.find((c) => c.errcode === 0)!.body as { markdown: { content: string } };
      expect(delivered.markdown.content.split('\n')).toEqual([
        '<font color="warning">**【红灯超期】钠离子电池正极材料项目**</font>',
        '> 项目：<font color="comment">钠离子电池正极材料项目（2022-330602-39-03-000401）</font>',
        '> 环节：<font color="comment">建筑工程施工许可</font>',
        '> 部门：<font color="comment">住房和城乡建设局</font>',
        '> 期限：<font color="comment">2025年10月13日（星期一）24:00 前</font>',
        '> 超期：<font color="comment">已超期 3 个工作日</font>',
        '> 通知对象：<font color="comment">住房和城乡建设局经办人、住房和城乡建设局负责人</font>',
        `[在审批工作台查看项目](${BASE}/projects/2022-330602-39-03-000401)`,
      ]);
    });
  });

  describe('e-mail', () => {
    it('sends one mail to every address with a Chinese subject, text and HTML parts, the link, and a Message-ID from the dedupe key', async () => {
      const smtp = await smtpServer(startSmtpReceiver(SMTP_USER, SMTP_PASSWORD));
      await deliver(channelsFrom({ housing_construction: emailChannel(smtp) }), notice('mail-1'));

      expect(await settled('mail-1')).toMatchObject({ state: 'delivered', attempts: 1, channel: 'email', target: 'housing_construction' });
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0]!;
      expect(mail.from).toBe('notices@xmsp.example.gov.cn');
      expect(mail.to).toEqual(['zjj-officer@xmsp.example.gov.cn', 'zjj-head@xmsp.example.gov.cn']);
      expect(mailHeader(mail.raw, 'Subject')).toBe('【红灯超期】钠离子电池正极材料项目（2022-330602-39-03-000401） · 建筑工程施工许可 · 已超期 3 个工作日');
      expect(mailHeader(mail.raw, 'Message-ID')).toBe(messageIdOf('mail-1', FROM));
      const text = mailPart(mail.raw, 'text/plain')!;
      expect(text).toContain('期限：2025年10月13日（星期一）24:00 前');
      expect(text).toContain(`在审批工作台查看项目：${BASE}/projects/2022-330602-39-03-000401`);
      expect(text).not.toContain('\uFFFD');
      expect(mailPart(mail.raw, 'text/html')).toContain(`<a href="${BASE}/projects/2022-330602-39-03-000401">在审批工作台查看项目</a>`);
    });

    it('retries a temporary refusal (451) and sends the same Message-ID again; gives up on a refused login (535)', async () => {
      const smtp = await smtpServer(startSmtpReceiver(SMTP_USER, SMTP_PASSWORD, (n) => (n === 1 ? 451 : undefined)));
      await deliver(
        channelsFrom({ housing_construction: emailChannel(smtp), customs: emailChannel(smtp, 'a-wrong-password') }),
        notice('mail-451'),
        notice('mail-login', { department: 'customs', recipients: [{ role: 'officers', department: 'customs' }] }),
      );

      expect(await settled('mail-451')).toMatchObject({ state: 'delivered', attempts: 2 });
      const refused = await settled('mail-login');
      expect(refused).toMatchObject({ state: 'dead', attempts: 1 });
      expect(refused.lastError).toMatch(/^SMTP EAUTH 535/);
      expect(refused.lastError).not.toContain('a-wrong-password');
      expect(smtp.mails.map((m) => mailHeader(m.raw, 'Message-ID'))).toEqual([messageIdOf('mail-451', FROM)]);
    });
  });

  it("splits a notice for the department and the supervisors: the department's DingTalk robot and the supervisors' mail", async () => {
    const ding = await robot(startDingtalkReceiver(DING_TOKEN, DING_SECRET));
    const smtp = await smtpServer(startSmtpReceiver(SMTP_USER, SMTP_PASSWORD));
    const both = notice('both', { kind: 'escalation', recipients: [{ role: 'head', department: 'housing_construction' }, { role: 'supervisors' }] });
    await deliver(channelsFrom({ housing_construction: { kind: 'dingtalk', url: ding.url, secret: DING_SECRET }, supervisors: emailChannel(smtp) }), both);

    expect(await settled('both')).toMatchObject({ state: 'delivered', channel: 'dingtalk' });
    expect(await settled('both/supervisors')).toMatchObject({ state: 'delivered', channel: 'email', target: 'supervisors' });
    expect((ding.calls[0]!.body as { markdown: { text: string } }).markdown.text).toContain('- **通知对象**：住房和城乡建设局负责人');
    expect(mailPart(smtp.mails[0]!.raw, 'text/plain')).toContain('通知对象：督办人员');
    expect(mailHeader(smtp.mails[0]!.raw, 'Subject')).toMatch(/^【督办】钠离子电池正极材料项目/);
  });
});
