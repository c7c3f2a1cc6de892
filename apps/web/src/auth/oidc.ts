import type { UserManager } from 'oidc-client-ts';

/*
 * OpenID Connect sign-in of the workbench: authorization code with PKCE (S256) against the district's identity
 * provider, as a public client (no secret in the browser). The provider's access token — a JWT the API verifies
 * against JWKS_URL — becomes the session's bearer token. oidc-client-ts is loaded only when OIDC is used.
 */

/** The provider settings of `GET /api/v1/auth/config` in `oidc` mode. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

/** The settings the current sign-in (or session) came from: needed again on the callback and at sign-out. */
const SETTINGS_KEY = 'approvals.oidc';

/** Where the provider sends the browser back with the code (the route `/auth/callback`). */
export const callbackPath = '/auth/callback';

async function userManager(settings: OidcSettings): Promise<UserManager> {
  const { UserManager: Manager, WebStorageStateStore } = await import('oidc-client-ts');
  const store = new WebStorageStateStore({ store: sessionStorage, prefix: 'approvals.oidc.' });
  return new Manager({
    authority: settings.issuer,
    client_id: settings.clientId,
    redirect_uri: `${location.origin}${callbackPath}`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: settings.scope,
    // This tab only, like the session's token; no silent renew (an expired token sends the person to sign-in).
    userStore: store,
    stateStore: store,
    automaticSilentRenew: false,
    monitorSession: false,
    loadUserInfo: false,
  });
}

function storedSettings(): OidcSettings | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<OidcSettings> | null;
    return s && typeof s.issuer === 'string' && typeof s.clientId === 'string' && typeof s.scope === 'string' ? (s as OidcSettings) : null;
  } catch {
    return null;
  }
}

/**
 * Sends the browser to the provider's authorization endpoint (code flow; oidc-client-ts adds the PKCE S256
 * challenge, state and nonce and keeps the verifier in this tab's sessionStorage).
 * @throws Error when the provider's discovery document cannot be read
 */
export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  sessionStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  const manager = await userManager(settings);
  await manager.signinRedirect();
}

let completing: { url: string; result: Promise<string> } | null = null;

/**
 * Redeems the code on `/auth/callback` (once per callback URL: React may run the effect twice, and a code is
 * single-use) and returns the access token.
 * @throws Error when no sign-in was started in this tab, the provider refused (its error_description), or the
 * state does not match
 */
export function completeOidcSignIn(url: string = location.href): Promise<string> {
  if (completing?.url !== url) {
    completing = {
      url,
      result: (async () => {
        const settings = storedSettings();
        if (!settings) throw new Error('no single sign-on was started in this browser tab');
        const manager = await userManager(settings);
        const user = await manager.signinRedirectCallback(url);
        return user.access_token;
      })(),
    };
  }
  return completing.result;
}

/**
 * Ends the provider's session too after the person signs out of an OIDC session: redirects to its
 * end_session_endpoint (back to `/` after) when it has one; otherwise only the local state is cleared. Does
 * nothing for a demo session.
 */
export async function endOidcSession(): Promise<void> {
  const settings = storedSettings();
  if (!settings) return;
  sessionStorage.removeItem(SETTINGS_KEY);
  try {
    const manager = await userManager(settings);
    const user = await manager.getUser();
    await manager.removeUser();
    if (await manager.metadataService.getEndSessionEndpoint()) {
      await manager.signoutRedirect(user?.id_token ? { id_token_hint: user.id_token } : {});
    }
  } catch {
    // The provider is unreachable: the local session is gone already, which is what signing out promises here.
  }
}
