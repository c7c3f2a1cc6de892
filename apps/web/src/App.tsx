import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { ReactNode } from 'react';
import { ApiError } from './api/client';
import { homePath, SessionProvider, useSession } from './auth/session';
import { AppLayout } from './components/AppLayout';
import { CalendarPage } from './pages/CalendarPage';
import { EventsPage } from './pages/EventsPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { OverviewPage } from './pages/OverviewPage';
import { ProjectPage } from './pages/ProjectPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { SignInPage } from './pages/SignInPage';
import { StuckPage } from './pages/StuckPage';
import { TasksPage } from './pages/TasksPage';

/** Server state: a refusal (4xx) is an answer, not a glitch, so only network errors and 5xx are retried. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status < 500),
        refetchOnWindowFocus: true,
      },
    },
  });
}

function RequireSession({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return <>{children}</>;
}

function Root() {
  const { user } = useSession();
  return user ? <Navigate to={homePath(user)} replace /> : <SignInPage />;
}

/** The routes of the workbench: `/` signs in, the rest need a session. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Root />} />
      <Route path="/auth/callback" element={<SignInPage />} />
      <Route
        element={
          <RequireSession>
            <AppLayout />
          </RequireSession>
        }
      >
        <Route path="/tasks" element={<TasksPage />} />
        <Route path="/stuck" element={<StuckPage />} />
        <Route path="/overview" element={<OverviewPage />} />
        <Route path="/projects" element={<ProjectsPage />} />
        <Route path="/projects/:code" element={<ProjectPage />} />
        <Route path="/calendar" element={<CalendarPage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/events" element={<EventsPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

/**
 * Ant Design's theme: the district's blue, and text colours dark enough for WCAG AA contrast (4.5:1) on white and
 * on the layout's grey, which antd's defaults (secondary #8c8c8c, links #1677ff, error #ff4d4f, warning #faad14) miss.
 */
const THEME = {
  token: {
    colorPrimary: '#1f5fbf',
    colorLink: '#1f5fbf',
    colorInfo: '#1f5fbf',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorError: '#cf1322',
    colorWarning: '#ad6800',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
};

/** The workbench: Ant Design in the chosen language (zh_CN by default), server state, session and routes. */
export function App({ queryClient = createQueryClient() }: { queryClient?: QueryClient }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider button={{ autoInsertSpace: false }} locale={i18n.language === 'en' ? enUS : zhCN} theme={THEME}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </SessionProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
