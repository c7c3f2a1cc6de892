import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every date and time the workbench shows is in the district's zone. */
export const ZONE = 'Asia/Shanghai';

/**
 * An instant (ISO 8601 with offset) as `YYYY-MM-DD HH:mm` in Asia/Shanghai, whatever the browser's zone.
 * @returns '—' when absent
 */
export function formatInstant(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(ZONE).format('YYYY-MM-DD HH:mm') : '—';
}

/** A `YYYY-MM-DD` day as is (days are already Asia/Shanghai days in the API); '—' when absent. */
export function formatDay(day: string | null | undefined): string {
  return day ?? '—';
}

/**
 * An amount in yuan (the API's decimal string) for people: in Chinese as 万元/亿元 (亿元 from 1 亿 up),
 * in English as CNY million/billion. Exact to two decimals of the unit shown; never through binary floats for
 * the integer part.
 */
export function formatYuan(yuan: string | null | undefined, lang: string): string {
  if (!yuan) return '—';
  const [intPart = '0'] = yuan.split('.');
  const n = BigInt(intPart);
  const scaled = (unit: bigint): string => {
    const hundredths = (n * 100n) / unit;
    const whole = hundredths / 100n;
    const frac = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
    return `${whole.toLocaleString('en-US')}${frac ? `.${frac}` : ''}`;
  };
  if (lang.startsWith('zh')) return n >= 100_000_000n ? `${scaled(100_000_000n)} 亿元` : `${scaled(10_000n)} 万元`;
  return n >= 1_000_000_000n ? `CNY ${scaled(1_000_000_000n)} bn` : `CNY ${scaled(1_000_000n)} m`;
}
