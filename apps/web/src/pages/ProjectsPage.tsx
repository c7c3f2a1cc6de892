import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function ProjectsPage() {
  return <Typography.Title level={2}>Projects</Typography.Title>;
}
