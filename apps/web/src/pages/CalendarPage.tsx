import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function CalendarPage() {
  return <Typography.Title level={2}>Calendar</Typography.Title>;
}
