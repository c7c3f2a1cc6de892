import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function NotificationsPage() {
  return <Typography.Title level={2}>Notifications</Typography.Title>;
}
