import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function OverviewPage() {
  return <Typography.Title level={2}>Overview</Typography.Title>;
}
