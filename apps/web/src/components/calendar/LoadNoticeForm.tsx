import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type Schemas } from '../../api/client';
import { queryKeys } from '../../api/query-keys';

interface FormValues {
  source: string;
  holidays: string;
  makeUpWorkdays: string;
}

/**
 * The dates typed into a text box: separated by new lines, spaces or commas (also the Chinese 、 and ，),
 * in the order given, duplicates dropped.
 */
export function parseDates(text: string | undefined): string[] {
  return [...new Set((text ?? '').split(/[\s,，、;；]+/).filter(Boolean))];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 载入年度放假通知 (admins): the year's State Council holiday notice — its rest days, make-up working days and
 * its title — sent as `PUT /calendar/{year}` (LoadCalendarYearDto). The form starts from the year's current data.
 * The API checks the dates (inside the year, a make-up day on a weekend, none both); its refusal is shown with the
 * problem's detail and the fields it names. On success the calendar is refetched and the number of running
 * projects told to re-plan is shown.
 */
export function LoadNoticeForm({ year, current }: { year: number; current: Schemas['CalendarYearDto'] | undefined }) {
  const { t } = useTranslation('calendar');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const load = useMutation({
    mutationFn: (v: FormValues) =>
      unwrap(
        api.PUT('/api/v1/calendar/{year}', {
          params: { path: { year } },
          body: { source: v.source.trim(), holidays: parseDates(v.holidays), makeUpWorkdays: parseDates(v.makeUpWorkdays) },
        }),
      ),
    onSuccess: async (r) => {
      setOpen(false);
      void message.success(t('load.success', { year: r.year, count: r.signalled }));
      await queryClient.invalidateQueries({ queryKey: queryKeys.calendar(year) });
    },
  });
  const datesRule = {
    validator: async (_: unknown, text: string | undefined) => {
      const bad = parseDates(text).find((d) => !DATE.test(d));
      if (bad) throw new Error(t('load.badDate', { value: bad }));
    },
  };
  const problem = load.error instanceof ApiError ? load.error.problem : null;

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('load.title')}</Typography.Title>}>
      {!open ? (
        <Button
          onClick={() => {
            load.reset();
            form.setFieldsValue({
              source: current?.origin === 'provisional' ? '' : (current?.source ?? ''),
              holidays: (current?.holidays ?? []).join('\n'),
              makeUpWorkdays: (current?.makeUpWorkdays ?? []).join('\n'),
            });
            setOpen(true);
          }}
        >
          {t('load.open', { year })}
        </Button>
      ) : null}
      <Form<FormValues> form={form} name="calendar-load" layout="vertical" hidden={!open} onFinish={(v) => load.mutate(v)}>
        <Typography.Paragraph type="secondary">{t('load.hint')}</Typography.Paragraph>
        <Form.Item name="source" label={t('load.source')} rules={[{ required: true, whitespace: true, message: t('calculator.required', { field: t('load.source') }) }]}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item
          name="holidays"
          label={t('load.holidays')}
          rules={[{ required: true, message: t('calculator.required', { field: t('load.holidays') }) }, datesRule]}
        >
          <Input.TextArea rows={6} />
        </Form.Item>
        <Form.Item name="makeUpWorkdays" label={t('load.makeUpWorkdays')} rules={[datesRule]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {load.error ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('load.error', { detail: load.error.message })}
            description={problem?.errors?.length ? problem.errors.map((e) => `${e.field}: ${e.message}`).join('；') : undefined}
          />
        ) : null}
        <Button type="primary" htmlType="submit" loading={load.isPending} style={{ marginRight: 8 }}>
          {t('load.submit')}
        </Button>
        <Button onClick={() => setOpen(false)}>{t('load.cancel')}</Button>
      </Form>
    </Card>
  );
}
