import { Button, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { setLanguage } from '../i18n';
import { useSession } from '../auth/session';
import { useLiveUpdates } from '../api/live';
import { readsEvents } from '../pages/EventsPage';

/** Menu entries by role (and department): what each kind of user works with (DESIGN.md §5, the workbench). */
function menuKeys(roles: string[], department?: string): string[] {
  const keys: string[] = [];
  if (roles.includes('officer') || roles.includes('department_head')) keys.push('tasks');
  // The supervision lists (督办, 总览) are the supervisors' (the API's supervision.read rule).
  if (roles.includes('supervisor')) keys.push('stuck', 'overview');
  keys.push('projects', 'calendar', 'notifications');
  // 事件待处理: the events other systems sent that need a person (the API's event.read rule).
  if (readsEvents(roles, department)) keys.push('events');
  return keys;
}

/**
 * The frame of every signed-in page: the menu (待办, 督办, 总览, 项目, 工作日历, 通知, 事件待处理), who is signed in, the
 * language switch and sign-out. The page itself renders in the outlet, inside the `main` landmark that antd's Layout.Content is.
 */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { user, signOut } = useSession();
  useLiveUpdates(); // keeps every open page current after anyone acts (server-sent events)
  const location = useLocation();
  const selected = location.pathname.split('/')[1] ?? '';
  const roles = user?.roles ?? [];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap', fontSize: 16 }}>
          {t('appTitle')}
        </Typography.Text>
        <nav aria-label={t('appTitle')} style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[selected === 'projects' && location.pathname !== '/projects' ? 'projects' : selected]}
            items={menuKeys(roles, user?.department).map((k) => ({ key: k, label: <Link to={`/${k}`}>{t(`menu.${k}`)}</Link> }))}
          />
        </nav>
        <Space>
          <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-user">
            {user?.sub} · {roles.map((r) => t(`roles.${r}`)).join('、')}
            {user?.department ? ` · ${t(`departments.${user.department}`)}` : ''}
          </Typography.Text>
          <Button size="small" onClick={() => setLanguage(i18n.language === 'en' ? 'zh' : 'en')} lang={i18n.language === 'en' ? 'zh-CN' : 'en'}>
            {t('language')}
          </Button>
          <Button size="small" onClick={() => signOut('user')}>
            {t('signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
          <Outlet />
      </Layout.Content>
    </Layout>
  );
}
