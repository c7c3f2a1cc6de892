import { Col, Row, Space, Tag } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';

/** What a day is on the working-day calendar. */
export type DayKind = 'holiday' | 'make_up' | 'weekend' | 'working';

/**
 * The kind of a day of the year: a holiday of the notice (放假), a weekend day worked (调休上班), an ordinary
 * weekend, or a working day (DESIGN.md §4: working days follow the State Council's notices).
 * @param day `YYYY-MM-DD`
 */
export function dayKind(day: string, holidays: ReadonlySet<string>, makeUp: ReadonlySet<string>): DayKind {
  if (holidays.has(day)) return 'holiday';
  if (makeUp.has(day)) return 'make_up';
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday === 0 || weekday === 6 ? 'weekend' : 'working';
}

const CELL_STYLE: Record<DayKind, CSSProperties> = {
  holiday: { background: '#fff1f0', color: '#a8071a', fontWeight: 600 },
  make_up: { background: '#e6f4ff', color: '#003eb3', fontWeight: 600 },
  weekend: { color: '#595959', background: '#fafafa' },
  working: {},
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The weeks of a month, Monday first: each week seven day numbers or null outside the month. */
function weeksOf(year: number, month: number): Array<Array<number | null>> {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const offset = (first + 6) % 7;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: Array<number | null> = [...Array<null>(offset).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

/**
 * A year of the working-day calendar as twelve month tables (Monday first). Holidays carry the mark 休 and
 * make-up working days 班 in the cell itself, and each cell's title says what the day is, so nothing relies on
 * colour alone.
 */
export function YearGrid({ data }: { data: Schemas['CalendarYearDto'] }) {
  const { t } = useTranslation('calendar');
  const holidays = new Set(data.holidays);
  const makeUp = new Set(data.makeUpWorkdays);
  const weekdays = t('weekdays', { returnObjects: true }) as string[];
  const weekdaysLong = t('weekdaysLong', { returnObjects: true }) as string[];
  const describe: Record<DayKind, string> = { holiday: t('holiday'), make_up: t('makeUp'), weekend: t('weekend'), working: '' };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag style={CELL_STYLE.holiday}>
          {t('holidayMark')} = {t('holiday')}
        </Tag>
        <Tag style={CELL_STYLE.make_up}>
          {t('makeUpMark')} = {t('makeUp')}
        </Tag>
        <Tag style={CELL_STYLE.weekend}>{t('weekend')}</Tag>
      </Space>
      <Row gutter={[16, 16]}>
        {Array.from({ length: 12 }, (_, i) => i + 1).map((month) => (
          <Col key={month} xs={24} sm={12} lg={8} xl={6}>
            <table className="calendar-month" style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' }}>
              <caption style={{ textAlign: 'left', fontWeight: 600, paddingBottom: 4 }}>
                {t('monthCaption', { month, count: data.workingDaysByMonth[month - 1] ?? 0 })}
              </caption>
              <thead>
                <tr>
                  {weekdays.map((w, i) => (
                    <th key={w} scope="col" abbr={weekdaysLong[i]} style={{ fontWeight: 400, color: '#595959', fontSize: 12 }}>
                      {w}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeksOf(data.year, month).map((week, w) => (
                  <tr key={w}>
                    {week.map((d, i) => {
                      if (d === null) return <td key={i} />;
                      const day = `${data.year}-${pad(month)}-${pad(d)}`;
                      const kind = dayKind(day, holidays, makeUp);
                      const mark = kind === 'holiday' ? t('holidayMark') : kind === 'make_up' ? t('makeUpMark') : '';
                      return (
                        <td
                          key={i}
                          data-day={day}
                          data-kind={kind}
                          title={describe[kind] ? `${day} ${describe[kind]}` : day}
                          style={{ textAlign: 'center', padding: '2px 0', fontSize: 12, lineHeight: '16px', ...CELL_STYLE[kind] }}
                        >
                          {d}
                          {mark ? <div style={{ fontSize: 10 }}>{mark}</div> : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </Col>
        ))}
      </Row>
    </>
  );
}
