import { describe, expect, it } from '@jest/globals';
import {
  deadlineZh,
  dingtalkMessage,
  dingtalkOutcome,
  dingtalkSign,
  emailMessage,
  messageIdOf,
  noticeView,
  signedDingtalkUrl,
  wecomMessage,
  wecomOutcome,
  WECOM_MARKDOWN_MAX_BYTES,
} from '../../../libs/notifications/index.js';
import { notice } from '../../support/notices.js';

const KNOWN_SIGN = 'jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=';

/* The messages officials read in DingTalk, WeCom and their mail: the exact Chinese words of one notice. */

const BASE = 'https://xmsp.example.gov.cn';
/** Red: the construction permit of a battery-materials project, due Monday 13 October 2025, 3 working days over. */
const red = notice('2022-330602-39-03-000401|step:construction_permit|red|2025-10-13T16:00:00.000Z|red', {
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
});

describe('noticeView', () => {
  it('names the project and code, the step, the department, the deadline in Asia/Shanghai, the days over and the link', () => {
    const view = noticeView(red, { publicBaseUrl: BASE });
    expect(view).toEqual({
      title: '【红灯超期】钠离子电池正极材料项目',
      urgent: true,
      facts: [
        ['项目', '钠离子电池正极材料项目（2022-330602-39-03-000401）'],
        ['环节', '建筑工程施工许可'],
        ['部门', '住房和城乡建设局'],
        ['期限', '2025年10月13日（星期一）24:00 前'],
        ['超期', '已超期 3 个工作日'],
        ['通知对象', '住房和城乡建设局经办人、住房和城乡建设局负责人'],
      ],
      link: `${BASE}/projects/2022-330602-39-03-000401`,
      linkText: '在审批工作台查看项目',
      dedupeKey: red.dedupeKey,
    });
  });

  it('says the working days left before the deadline, today, or only 尚未超期 when the calendar is not known', () => {
    const yellow = notice('y', { dueAt: '2025-10-13T16:00:00.000Z' });
    const progress = (left?: number | null) => noticeView(yellow, { publicBaseUrl: BASE, workingDaysLeft: left }).facts.find(([l]) => l === '剩余');
    expect(progress(2)).toEqual(['剩余', '还剩 2 个工作日']);
    expect(progress(0)).toEqual(['剩余', '今日到期']);
    expect(progress(undefined)).toEqual(['剩余', '尚未超期']);
    expect(noticeView(yellow, { publicBaseUrl: BASE }).title).toBe('【黄灯预警】高端装备制造基地项目');
    expect(noticeView({ ...yellow, recipients: [{ role: 'supervisors' }], kind: 'escalation' }, { publicBaseUrl: BASE }).facts.at(-1)).toEqual(['通知对象', '督办人员']);
  });

  it('reads the deadline in Asia/Shanghai whatever the instant: 24:00 of the last day, or a time of day', () => {
    expect(deadlineZh('2025-10-13T16:00:00.000Z')).toBe('2025年10月13日（星期一）24:00 前');
    expect(deadlineZh('2025-10-13T15:59:59.999Z')).toBe('2025年10月13日（星期一）23:59 前');
    expect(deadlineZh('2025-12-31T16:00:00.000Z')).toBe('2025年12月31日（星期三）24:00 前');
    expect(deadlineZh('2026-01-05T09:30:00+08:00')).toBe('2026年1月5日（星期一）09:30 前');
  });
});

describe('dingtalkMessage', () => {
  it('is a markdown message with the title and one bold line per fact, and the link', () => {
    expect(dingtalkMessage(noticeView(red, { publicBaseUrl: BASE }))).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '【红灯超期】钠离子电池正极材料项目',
        text: [
          '#### <font color="#d4380d">【红灯超期】钠离子电池正极材料项目</font>',
          '',
          '- **项目**：钠离子电池正极材料项目（2022-330602-39-03-000401）',
          '- **环节**：建筑工程施工许可',
          '- **部门**：住房和城乡建设局',
          '- **期限**：2025年10月13日（星期一）24:00 前',
          '- **超期**：已超期 3 个工作日',
          '- **通知对象**：住房和城乡建设局经办人、住房和城乡建设局负责人',
          '',
          `[在审批工作台查看项目](${BASE}/projects/2022-330602-39-03-000401)`,
        ].join('\n'),
      },
    });
  });

  it("signs as DingTalk documents: base64 HMAC-SHA256 of 'timestamp\\nsecret', URL-encoded in the URL", () => {
    // Known answer, computed independently: printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
    expect(dingtalkSign(1_700_000_000_000, 'SECabc')).toBe(KNOWN_SIGN);
    const url = new URL(signedDingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=t0k', 'SECabc', 1_700_000_000_000));
    expect(url.searchParams.get('access_token')).toBe('t0k');
    expect(url.searchParams.get('timestamp')).toBe('1700000000000');
    expect(url.searchParams.get('sign')).toBe(KNOWN_SIGN);
    expect(/[?&]sign=([^&]*)/.exec(url.search)?.[1]).toBe(encodeURIComponent(KNOWN_SIGN)); // base64's + / = percent-encoded
  });

  it('tells retryable errcodes from those to give up on', () => {
    expect(dingtalkOutcome(0, 'ok')).toEqual({ ok: true });
    expect(dingtalkOutcome(130101, 'send too fast')).toEqual({ ok: false, permanent: false, error: 'DingTalk errcode 130101: send too fast' });
    expect(dingtalkOutcome(-1, 'busy')).toMatchObject({ ok: false, permanent: false });
    expect(dingtalkOutcome(310000, 'sign not match')).toMatchObject({ ok: false, permanent: true });
    expect(dingtalkOutcome(300001, 'token is not exist')).toMatchObject({ ok: false, permanent: true });
  });
});

describe('wecomMessage', () => {
  it('is a markdown message: the title in the warning colour, one quoted line per fact, the link', () => {
    expect(wecomMessage(noticeView(red, { publicBaseUrl: BASE }))).toEqual({
      msgtype: 'markdown',
      markdown: {
        content: [
          '<font color="warning">**【红灯超期】钠离子电池正极材料项目**</font>',
          '> 项目：<font color="comment">钠离子电池正极材料项目（2022-330602-39-03-000401）</font>',
          '> 环节：<font color="comment">建筑工程施工许可</font>',
          '> 部门：<font color="comment">住房和城乡建设局</font>',
          '> 期限：<font color="comment">2025年10月13日（星期一）24:00 前</font>',
          '> 超期：<font color="comment">已超期 3 个工作日</font>',
          '> 通知对象：<font color="comment">住房和城乡建设局经办人、住房和城乡建设局负责人</font>',
          `[在审批工作台查看项目](${BASE}/projects/2022-330602-39-03-000401)`,
        ].join('\n'),
      },
    });
  });

  it('stays within 4096 bytes and keeps the link when a name is very long', () => {
    const long = wecomMessage(noticeView({ ...red, projectName: '超长项目名称'.repeat(200) }, { publicBaseUrl: BASE })).markdown.content;
    expect(Buffer.byteLength(long, 'utf8')).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(long).toContain(`${BASE}/projects/2022-330602-39-03-000401`);
  });

  it('tells retryable errcodes from those to give up on', () => {
    expect(wecomOutcome(0, 'ok')).toEqual({ ok: true });
    expect(wecomOutcome(45009, 'api freq out of limit')).toMatchObject({ ok: false, permanent: false });
    expect(wecomOutcome(93000, 'invalid webhook url')).toEqual({ ok: false, permanent: true, error: 'WeCom errcode 93000: invalid webhook url' });
  });
});

describe('emailMessage', () => {
  const FROM = '重大项目办 <noreply@xmsp.example.gov.cn>';

  it('has a Chinese subject, a plain-text part and an HTML part, and a Message-ID from the dedupe key', () => {
    const mail = emailMessage(noticeView(red, { publicBaseUrl: BASE }), FROM);
    expect(mail.subject).toBe('【红灯超期】钠离子电池正极材料项目（2022-330602-39-03-000401） · 建筑工程施工许可 · 已超期 3 个工作日');
    expect(mail.text).toBe(
      [
        '【红灯超期】钠离子电池正极材料项目',
        '',
        '项目：钠离子电池正极材料项目（2022-330602-39-03-000401）',
        '环节：建筑工程施工许可',
        '部门：住房和城乡建设局',
        '期限：2025年10月13日（星期一）24:00 前',
        '超期：已超期 3 个工作日',
        '通知对象：住房和城乡建设局经办人、住房和城乡建设局负责人',
        '',
        `在审批工作台查看项目：${BASE}/projects/2022-330602-39-03-000401`,
        '',
        '此邮件由重大项目审批系统自动发送，请勿直接回复。',
      ].join('\n'),
    );
    expect(mail.html).toContain('<th style="text-align:left;padding:4px 12px 4px 0;color:#595959;white-space:nowrap">超期</th><td style="padding:4px 0">已超期 3 个工作日</td>');
    expect(mail.html).toContain(`<a href="${BASE}/projects/2022-330602-39-03-000401">在审批工作台查看项目</a>`);
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}\.notice@xmsp\.example\.gov\.cn>$/);
    expect(mail.messageId).toBe(emailMessage(noticeView(red, { publicBaseUrl: BASE, workingDaysLeft: 1 }), FROM).messageId);
    expect(messageIdOf(`${red.dedupeKey}/supervisors`, FROM)).not.toBe(mail.messageId);
  });

  it('escapes markup in names', () => {
    const mail = emailMessage(noticeView({ ...red, projectName: '<script>x</script>&Co' }, { publicBaseUrl: BASE }), FROM);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;&amp;Co');
  });
});
