import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, InputNumber, Row, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { useSession } from '../auth/session';
import { DeadlineCalculator } from '../components/calendar/DeadlineCalculator';
import { LoadNoticeForm } from '../components/calendar/LoadNoticeForm';
import { YearGrid } from '../components/calendar/YearGrid';
import { todayInShanghai } from '../components/deadline-day';
import { formatInstant } from '../format';

/** The years the calendar can show (the API computes provisional years from 2008 to 2099). */
const MIN_YEAR = 2008;
const MAX_YEAR = 2099;

/** The year in the URL (`?year=2026`), else this year in Asia/Shanghai. */
function yearOf(params: URLSearchParams): number {
  const y = Number(params.get('year'));
  return Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR ? y : Number(todayInShanghai().slice(0, 4));
}

/**
 * 工作日历: one year of the working-day calendar (`GET /calendar/{year}`) with its holidays (休) and make-up working
 * days (班), the notice it follows, and a warning when the year is provisional (no State Council notice yet:
 * computed from the rules, every deadline touching it provisional); a year switch kept in the URL; the deadline
 * calculator; and, for admins, loading a year's notice (`PUT /calendar/{year}`).
 */
export function CalendarPage() {
  const { t } = useTranslation('calendar');
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const year = yearOf(params);
  const [typed, setTyped] = useState<number | null>(year);
  useEffect(() => setTyped(year), [year]);
  const go = (y: number | null) => {
    if (y !== null && Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR && y !== year) setParams({ year: String(y) });
  };
  const cal = useQuery({
    queryKey: queryKeys.calendar(year),
    queryFn: () => unwrap(api.GET('/api/v1/calendar/{year}', { params: { path: { year } } })),
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
  });
  const data = cal.data?.year === year ? cal.data : undefined;
  const admin = user?.roles.includes('admin') ?? false;

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 26 }}>{t('title')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
        <Form.Item>
          <Button onClick={() => go(year - 1)} disabled={year <= MIN_YEAR}>
            {t('previousYear')}
          </Button>
        </Form.Item>
        <Form.Item label={t('year')} htmlFor="calendar-year">
          <InputNumber
            id="calendar-year"
            min={MIN_YEAR}
            max={MAX_YEAR}
            precision={0}
            value={typed}
            onChange={(v) => setTyped(v)}
            onPressEnter={() => go(typed)}
            onBlur={() => go(typed)}
          />
        </Form.Item>
        <Form.Item>
          <Button onClick={() => go(year + 1)} disabled={year >= MAX_YEAR}>
            {t('nextYear')}
          </Button>
        </Form.Item>
      </Form>

      {cal.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('error', { year, detail: cal.error.message })} /> : null}
      {!data && cal.isFetching ? <Spin /> : null}
      {data ? (
        <Card>
          <section aria-label={t('yearValue', { year })} data-testid="calendar-year">
            {data.provisional ? (
              <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('provisional')} description={t('provisionalDetail')} />
            ) : null}
            <Space wrap style={{ marginBottom: 12 }}>
              <Tag>{t(`origin.${data.origin}`)}</Tag>
              <Typography.Text>{t('source', { source: data.source })}</Typography.Text>
              {data.loadedAt ? <Typography.Text type="secondary">{t('loadedBy', { by: data.loadedBy ?? '—', at: formatInstant(data.loadedAt) })}</Typography.Text> : null}
              <Typography.Text strong>{t('workingDays', { count: data.workingDays })}</Typography.Text>
            </Space>
            <YearGrid data={data} />
          </section>
        </Card>
      ) : null}

      <Row gutter={[16, 16]} style={{ marginTop: 24 }}>
        <Col xs={24} xl={admin ? 12 : 24}>
          <DeadlineCalculator />
        </Col>
        {admin ? (
          <Col xs={24} xl={12}>
            <LoadNoticeForm key={year} year={year} current={data} />
          </Col>
        ) : null}
      </Row>
    </div>
  );
}
