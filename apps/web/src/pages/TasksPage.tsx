import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function TasksPage() {
  return <Typography.Title level={2}>Tasks</Typography.Title>;
}
