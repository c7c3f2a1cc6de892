import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Space, Spin, Typography } from 'antd';
import { startTransition, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { callbackPath, completeOidcSignIn, startOidcSignIn } from '../auth/oidc';
import { decodeToken, hasReturnPath, homePath, keepReturnPath, takeReturnPath, useSession } from '../auth/session';
import { setLanguage } from '../i18n';

type DemoUser = Schemas['DemoUserDto'];
type SignInConfig = Schemas['DemoSignInConfigDto'] | Schemas['OidcSignInConfigDto'] | Schemas['NoSignInConfigDto'];

/** TanStack Query key of `GET /api/v1/auth/config` (reference data: never invalidated by the live stream). */
export const signInConfigKey = ['auth', 'config'] as const;

/** The message of a failure: the API problem's `detail`, or the error's own message. */
function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail ?? err.message;
  return err instanceof Error ? err.message : String(err);
}

/** A page the app may return to: a path of the workbench, not the sign-in routes. */
function workbenchPath(path: unknown): string | null {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && path !== '/' && !path.startsWith(callbackPath) ? path : null;
}

/**
 * Keeps a bearer token and leaves the sign-in page for the page kept when the last session expired (or the one
 * the person opened before signing in), else the person's home page. Both changes render together (one
 * transition), so the root route never redirects home in between.
 * @returns a function of the token that returns false when the token cannot be read (not a JWT with sub and exp)
 */
function useFinishSignIn(): (token: string) => boolean {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = workbenchPath((location.state as { from?: unknown } | null)?.from);
  return useCallback(
    (token: string) => {
      const user = decodeToken(token);
      if (!user) return false;
      const target = workbenchPath(takeReturnPath()) ?? from ?? homePath(user);
      startTransition(() => {
        signIn(token);
        navigate(target, { replace: true });
      });
      return true;
    },
    [signIn, navigate, from],
  );
}

/** Where a demo user appears: department work (officers, heads), supervision, administration. */
type Group = 'departments' | 'supervision' | 'administration' | 'other';

function groupOf(user: DemoUser): Group {
  if (user.roles.includes('officer') || user.roles.includes('department_head')) return 'departments';
  if (user.roles.includes('supervisor')) return 'supervision';
  if (user.roles.includes('admin')) return 'administration';
  return 'other';
}

/** The demo users as buttons, grouped; department officers and heads side by side per department. */
function DemoUsers({ users }: { users: DemoUser[] }) {
  const { t } = useTranslation('signin');
  const { t: tc } = useTranslation();
  const finish = useFinishSignIn();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choose = async (sub: string) => {
    setPending(sub);
    setError(null);
    try {
      const { token } = await unwrap(api.POST('/api/v1/auth/demo-token', { body: { sub } }));
      if (!finish(token)) throw new Error(t('demo.failed'));
    } catch (err) {
      setError(messageOf(err));
      setPending(null);
    }
  };

  const label = (u: DemoUser) => [u.sub, u.roles.map((r) => tc(`roles.${r}`)).join('、'), tc(`departments.${u.department}`)].join(' · ');
  const button = (u: DemoUser) => (
    <Button key={u.sub} onClick={() => void choose(u.sub)} loading={pending === u.sub} disabled={pending !== null && pending !== u.sub}>
      {label(u)}
    </Button>
  );
  const groups: Group[] = ['departments', 'supervision', 'administration', 'other'];
  const departments = [...new Set(users.filter((u) => groupOf(u) === 'departments').map((u) => u.department))];

  return (
    <section aria-labelledby="demo-heading">
      <Typography.Title level={2} id="demo-heading" style={{ fontSize: 18 }}>
        {t('demo.heading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('demo.hint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={t('demo.failed')} description={error} style={{ marginBottom: 16 }} role="alert" />}
      {groups.map((group) => {
        const members = users.filter((u) => groupOf(u) === group);
        if (members.length === 0) return null;
        return (
          <section key={group} aria-labelledby={`demo-group-${group}`} style={{ marginBottom: 16 }}>
            <Typography.Title level={3} id={`demo-group-${group}`} style={{ fontSize: 15 }}>
              {t(`demo.${group}`)}
            </Typography.Title>
            {group === 'departments' ? (
              <Flex vertical gap={8}>
                {departments.map((d) => (
                  <Flex key={d} wrap gap={8} role="group" aria-label={tc(`departments.${d}`)}>
                    {members.filter((u) => u.department === d).map(button)}
                  </Flex>
                ))}
              </Flex>
            ) : (
              <Flex wrap gap={8}>
                {members.map(button)}
              </Flex>
            )}
          </section>
        );
      })}
    </section>
  );
}

/** A spinner with its text (announced politely). */
function Waiting({ text }: { text: string }) {
  return (
    <Flex align="center" gap={12} role="status" style={{ minHeight: 80 }}>
      <Spin />
      <Typography.Text>{text}</Typography.Text>
    </Flex>
  );
}

/** The single sign-on button: authorization code with PKCE at the district's identity provider. */
function OidcSignIn({ settings }: { settings: Schemas['OidcSignInConfigDto'] }) {
  const { t } = useTranslation('signin');
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const from = workbenchPath((location.state as { from?: unknown } | null)?.from);

  const start = async () => {
    setBusy(true);
    setError(null);
    // The page to come back to survives the round trip through the provider in this tab's sessionStorage.
    if (from && !hasReturnPath()) keepReturnPath(from);
    try {
      await startOidcSignIn({ issuer: settings.issuer, clientId: settings.clientId, scope: settings.scope });
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="oidc-heading">
      <Typography.Title level={2} id="oidc-heading" style={{ fontSize: 18 }}>
        {t('oidc.heading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('oidc.hint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={t('oidc.failed')} description={error} style={{ marginBottom: 16 }} role="alert" />}
      <Button type="primary" size="large" onClick={() => void start()} loading={busy}>
        {busy ? t('oidc.redirecting') : t('oidc.button')}
      </Button>
    </section>
  );
}

/** `/auth/callback`: redeems the provider's code for the access token and signs in with it. */
function OidcCallback() {
  const { t } = useTranslation('signin');
  const finish = useFinishSignIn();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    completeOidcSignIn()
      .then((token) => {
        if (live && !finish(token)) setError(t('oidc.notJwt'));
      })
      .catch((err: unknown) => live && setError(messageOf(err)));
    return () => {
      live = false;
    };
  }, [finish, t]);

  if (!error) return <Waiting text={t('oidc.completing')} />;
  return (
    <Space vertical>
      <Alert type="error" showIcon title={t('oidc.failed')} description={error} role="alert" />
      <Button onClick={() => navigate('/', { replace: true })}>{t('oidc.back')}</Button>
    </Space>
  );
}

/** What `GET /auth/config` says: demo users, the single sign-on button, or that nothing is configured. */
function SignInChoices() {
  const { t } = useTranslation('signin');
  const config = useQuery({
    queryKey: signInConfigKey,
    queryFn: () => unwrap(api.GET('/api/v1/auth/config')) as Promise<SignInConfig>,
    staleTime: Infinity,
  });
  if (config.isPending) return <Waiting text={t('loadingConfig')} />;
  if (config.isError) return <Alert type="error" showIcon title={t('configFailed')} description={messageOf(config.error)} role="alert" />;
  const c = config.data;
  if (c.mode === 'demo') return <DemoUsers users={c.users} />;
  if (c.mode === 'oidc') return <OidcSignIn settings={c} />;
  return <Alert type="info" showIcon title={t('none.heading')} description={t('none.detail')} />;
}

/**
 * The sign-in page (`/` when signed out, and `/auth/callback` for the OIDC redirect). In the embedded start (the
 * API runs with the development secret) it lists the demo users, each a button labelled with subject, role and
 * department; one click signs in. In production it offers single sign-on (OIDC authorization code + PKCE). When
 * the last session expired it says so, and signing in returns to the page the person was on.
 */
export function SignInPage() {
  const { t, i18n } = useTranslation('signin');
  const { t: tc } = useTranslation();
  const { endedBecause } = useSession();
  const location = useLocation();
  const onCallback = location.pathname === callbackPath;

  return (
    <main style={{ minHeight: '100vh', background: '#f0f2f5', padding: '48px 16px' }}>
      <Card style={{ maxWidth: 960, margin: '0 auto' }}>
        <Flex justify="space-between" align="flex-start" gap={16}>
          <div>
            <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
              {tc('appTitle')} · {t('title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
          </div>
          <Button size="small" onClick={() => setLanguage(i18n.language === 'en' ? 'zh' : 'en')} lang={i18n.language === 'en' ? 'zh-CN' : 'en'}>
            {tc('language')}
          </Button>
        </Flex>
        {endedBecause === 'expired' && !onCallback && (
          <Alert type="warning" showIcon title={t('expired')} description={t('expiredDetail')} style={{ marginBottom: 24 }} role="status" />
        )}
        {onCallback ? <OidcCallback /> : <SignInChoices />}
      </Card>
    </main>
  );
}
