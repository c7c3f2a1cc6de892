import { Typography } from 'antd';

/** Placeholder until the page lands. */
export function SignInPage() {
  return <Typography.Title level={2}>SignIn</Typography.Title>;
}
