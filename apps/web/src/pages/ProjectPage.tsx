import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function ProjectPage() {
  return <Typography.Title level={2}>Project</Typography.Title>;
}
