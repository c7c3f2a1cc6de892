/**
 * An instant as ISO 8601 with the Asia/Shanghai offset (+08:00, no daylight saving), the form the HTTP
 * contract uses; null stays null.
 * @param value a Date or an ISO 8601 string
 */
export function toShanghaiIso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const ms = (value instanceof Date ? value : new Date(value)).getTime();
  const shifted = new Date(ms + 8 * 3600_000).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ in +08:00 wall time
  return `${shifted.slice(0, 23)}+08:00`;
}
