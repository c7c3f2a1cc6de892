import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function StuckPage() {
  return <Typography.Title level={2}>Stuck</Typography.Title>;
}
