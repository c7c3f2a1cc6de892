import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { todayInShanghai } from '../deadline-day';

/** The calculator's request: `GET /calendar/deadline?start&limit&unit&stop=S/R…`. */
export interface DeadlineParams {
  start: string;
  limit: number;
  unit: 'working_days' | 'calendar_days';
  /** `S/R` per clock stop; `S/` for a stop still open. */
  stop?: string[];
}

interface FormValues {
  start: string;
  limit: number;
  unit: DeadlineParams['unit'];
  stops?: Array<{ from?: string; to?: string }>;
}

/** The form's values as the API's query: stops as `S/R` (R empty while open), the list left out when empty. */
export function deadlineParamsOf(v: FormValues): DeadlineParams {
  const stop = (v.stops ?? []).filter((s) => s.from).map((s) => `${s.from}/${s.to ?? ''}`);
  return { start: v.start, limit: v.limit, unit: v.unit, ...(stop.length ? { stop } : {}) };
}

/** The answer in words: how the due day follows from the inputs (the API's counting rule, 民法典 Art. 201). */
function Explanation({ params, result }: { params: DeadlineParams; result: Schemas['DeadlineDto'] }) {
  const { t } = useTranslation('calendar');
  const unit = t(`calculator.units.${params.unit}`);
  if (result.stopped || !result.dueOn) {
    return (
      <Typography.Paragraph>
        {t('calculator.explanationStopped', { start: params.start, limit: params.limit, unit, used: result.usedDays, remaining: result.remainingDays })}
      </Typography.Paragraph>
    );
  }
  return (
    <Typography.Paragraph>
      {t('calculator.explanation', { start: params.start, limit: params.limit, unit, stopped: result.clockStoppedDays, due: result.dueOn })}
      {params.unit === 'calendar_days' ? ` ${t('calculator.explanationCalendar')}` : ''}
    </Typography.Paragraph>
  );
}

/**
 * 期限计算器: the deadline officers tell applicants — acceptance day, limit and unit, and any clock stops for
 * supplements (补正: S the request, R the resubmission) — answered by `GET /calendar/deadline` on the official
 * calendar, with the due day, the days used, remaining and excluded, and why. A refusal shows the API's detail.
 */
export function DeadlineCalculator() {
  const { t } = useTranslation('calendar');
  const [form] = Form.useForm<FormValues>();
  const [params, setParams] = useState<DeadlineParams | null>(null);
  const result = useQuery({
    queryKey: queryKeys.deadline(params ?? {}),
    queryFn: () => unwrap(api.GET('/api/v1/calendar/deadline', { params: { query: params! } })),
    enabled: params !== null,
    staleTime: 60 * 60_000,
  });
  const required = (field: string) => [{ required: true, message: t('calculator.required', { field }) }];

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('calculator.title')}</Typography.Title>}>
      <Typography.Paragraph type="secondary">{t('calculator.hint')}</Typography.Paragraph>
      <Form<FormValues>
        form={form}
        name="deadline"
        layout="vertical"
        initialValues={{ start: todayInShanghai(), limit: 20, unit: 'working_days', stops: [] }}
        onFinish={(v) => setParams(deadlineParamsOf(v))}
      >
        <Space wrap align="start">
          <Form.Item name="start" label={t('calculator.start')} rules={required(t('calculator.start'))}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="limit" label={t('calculator.limit')} rules={required(t('calculator.limit'))}>
            <InputNumber min={0} max={3650} precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="unit" label={t('calculator.unit')}>
            <Select
              style={{ width: 140 }}
              options={(['working_days', 'calendar_days'] as const).map((u) => ({ value: u, label: t(`calculator.units.${u}`) }))}
            />
          </Form.Item>
        </Space>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('calculator.stops')}</legend>
          <Form.List name="stops">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} wrap align="end">
                    <Form.Item name={[f.name, 'from']} label={t('calculator.stopFrom', { n: i + 1 })} rules={required(t('calculator.stopFrom', { n: i + 1 }))}>
                      <Input type="date" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'to']} label={t('calculator.stopTo', { n: i + 1 })}>
                      <Input type="date" />
                    </Form.Item>
                    <Form.Item>
                      <Button onClick={() => remove(f.name)}>{t('calculator.removeStop', { n: i + 1 })}</Button>
                    </Form.Item>
                  </Space>
                ))}
                <Form.Item>
                  <Button type="dashed" onClick={() => add({})}>
                    {t('calculator.addStop')}
                  </Button>
                </Form.Item>
              </>
            )}
          </Form.List>
        </fieldset>
        <Button type="primary" htmlType="submit" loading={result.isFetching}>
          {t('calculator.submit')}
        </Button>
      </Form>

      <div aria-live="polite" style={{ marginTop: 16 }}>
        {result.error ? <Alert type="error" showIcon title={t('calculator.error', { detail: result.error.message })} /> : null}
        {params && result.data ? (
          <div data-testid="deadline-result">
            <Typography.Title level={3} style={{ marginTop: 0, fontSize: 18 }}>
              {result.data.dueOn ? t('calculator.dueOn', { day: result.data.dueOn }) : t('calculator.stopped')}
            </Typography.Title>
            {result.data.provisional ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('calculator.provisional')} /> : null}
            <Explanation params={params} result={result.data} />
            <Descriptions
              size="small"
              column={3}
              bordered
              items={[
                { key: 'used', label: t('calculator.used'), children: t('calculator.days', { count: result.data.usedDays }) },
                { key: 'remaining', label: t('calculator.remaining'), children: t('calculator.days', { count: result.data.remainingDays }) },
                { key: 'stopped', label: t('calculator.clockStopped'), children: t('calculator.days', { count: result.data.clockStoppedDays }) },
              ]}
            />
          </div>
        ) : null}
      </div>
    </Card>
  );
}
