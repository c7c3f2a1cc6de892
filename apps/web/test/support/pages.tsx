import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { vi } from 'vitest';
import { SessionProvider } from '../../src/auth/session';

/** A request the page sent to the API. */
export interface SentRequest {
  method: string;
  url: URL;
  body: unknown;
}

/** An answer of the fake API. */
export interface FakeAnswer {
  status?: number;
  body: unknown;
}

/**
 * Replaces `fetch` with a fake API: `answer` gets each request (method and URL) and says what to answer (JSON, or
 * problem+json for 4xx/5xx). Every request is recorded in the returned list, in order.
 */
export function stubApi(answer: (req: SentRequest) => FakeAnswer): SentRequest[] {
  const sent: SentRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request | string) => {
      const req = input instanceof Request ? input : new Request(input);
      const text = await req.text();
      const r: SentRequest = { method: req.method, url: new URL(req.url), body: text ? JSON.parse(text) : null };
      sent.push(r);
      const a = answer(r);
      const status = a.status ?? 200;
      return new Response(JSON.stringify(a.body), {
        status,
        headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
      });
    }),
  );
  return sent;
}

/** An unsigned token with the claims the page reads (the fake API does not check it). */
export function fakeToken(claims: { sub: string; roles: string[]; department?: string }): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'none' })}.${b64({ ...claims, name: claims.sub, exp: Math.floor(Date.now() / 1000) + 3600 })}.x`;
}

/** Shows where the router is, so a test can read the URL a click led to. */
function LocationProbe() {
  const l = useLocation();
  return <output data-testid="location">{`${l.pathname}${l.search}`}</output>;
}

/** The URL the page is at (path and query), as the probe shows it. */
export function currentLocation(): string {
  return document.querySelector('[data-testid="location"]')?.textContent ?? '';
}

/**
 * Renders one page at `path` (its route `route`) signed in as `user`, with a fresh query client, Ant Design's App
 * and a probe of the location; other paths render an empty placeholder so navigation can be observed.
 */
export function renderPage(page: ReactElement, { path, route, user }: { path: string; route: string; user: { sub: string; roles: string[]; department?: string } }) {
  sessionStorage.setItem('approvals.token', fakeToken(user));
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <AntApp>
      <QueryClientProvider client={client}>
        <SessionProvider>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={page} />
              <Route path="*" element={<p>elsewhere</p>} />
            </Routes>
            <LocationProbe />
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>
    </AntApp>,
  );
}
