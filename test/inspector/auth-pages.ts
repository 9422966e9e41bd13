/**
 * The authorization servers' own pages as a person meets them after MCP Inspector sends the
 * browser there: a login form, then a consent page, then back to Inspector's /oauth/callback.
 * One adapter per server (the development AS and Keycloak); passAuthorization() walks whatever
 * of the two pages the server shows (an SSO session skips the login form; Keycloak answers an
 * invalid request with a redirect straight back).
 */
import type { Locator, Page } from 'playwright-core';

/** Which of its pages an authorization server is showing. */
export type AuthPageKind = 'login' | 'consent';

/** How to recognise and operate one authorization server's login and consent pages. */
export interface AuthServerPages {
  /** "dev AS" or "Keycloak", for step names. */
  readonly label: string;
  /** The authorization server's origin (pages outside it are not its pages). */
  readonly origin: string;
  /** Fills and submits the login form. */
  signIn(page: Page, username: string, password: string): Promise<void>;
  /** Accepts the consent page. */
  consent(page: Page): Promise<void>;
  /** Which page is showing (waits until one is). */
  pageKind(page: Page): Promise<AuthPageKind>;
}

/** The embedded development AS (services/mcp-server/src/dev-auth/pages.ts). */
export function devAuthPages(origin: string): AuthServerPages {
  const login = (p: Page) => p.locator('form input[name="password"]');
  const allow = (p: Page) => p.getByRole('button', { name: 'Allow', exact: true });
  return {
    label: 'dev AS',
    origin,
    async signIn(page, username, password) {
      await page.locator('form input[name="username"]').fill(username);
      await login(page).fill(password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    },
    async consent(page) {
      await allow(page).click();
    },
    pageKind: (page) => whichPage(login(page), allow(page)),
  };
}

/** Keycloak's login theme: #username / #password / #kc-login; the consent page's "Yes" is #kc-login too. */
export function keycloakPages(origin: string): AuthServerPages {
  const login = (p: Page) => p.locator('#kc-form-login #password, form #password').first();
  const accept = (p: Page) => p.locator('#kc-login[name="accept"], input[name="accept"], button[name="accept"]').first();
  return {
    label: 'Keycloak',
    origin,
    async signIn(page, username, password) {
      await page.locator('#username').fill(username);
      await login(page).fill(password);
      await page.locator('#kc-login').click();
    },
    async consent(page) {
      await accept(page).click();
    },
    pageKind: (page) => whichPage(login(page), accept(page)),
  };
}

async function whichPage(login: Locator, consent: Locator): Promise<AuthPageKind> {
  await login.or(consent).first().waitFor({ state: 'visible', timeout: 30_000 });
  return (await login.isVisible()) ? 'login' : 'consent';
}

/** What passAuthorization() saw. */
export interface AuthorizationTrace {
  readonly pages: AuthPageKind[];
}

/**
 * Waits for the browser to reach the authorization server, then signs in and consents as the
 * pages come, until the browser is back on `returnOrigin`. `onPage` runs on each page before it
 * is submitted (the caller's checks of the page itself).
 */
export async function passAuthorization(
  page: Page,
  as: AuthServerPages,
  returnOrigin: string,
  user: { username: string; password: string },
  onPage: (kind: AuthPageKind) => Promise<void> = async () => {},
): Promise<AuthorizationTrace> {
  const pages: AuthPageKind[] = [];
  await page.waitForURL((u) => u.origin === as.origin || (u.origin === returnOrigin && u.pathname === '/oauth/callback'), { timeout: 60_000 });
  for (let i = 0; i < 4; i++) {
    if (new URL(page.url()).origin !== as.origin) break;
    // Keycloak may redirect straight back (an error, or nothing left to ask): wait for either.
    const back = page.waitForURL((u) => u.origin === returnOrigin, { timeout: 60_000 }).then(() => 'back' as const, () => 'stuck' as const);
    const kind = await Promise.race([as.pageKind(page), back]);
    if (kind === 'back') break;
    if (kind === 'stuck') throw new Error(`${as.label} showed neither its login nor its consent page: ${page.url()}`);
    pages.push(kind);
    if (kind === 'login' && pages.filter((k) => k === 'login').length > 1) throw new Error(`${as.label} showed its login form again: sign-in as ${user.username} was refused`);
    await onPage(kind);
    const before = page.url();
    const left = page.waitForURL((u) => u.href !== before, { timeout: 30_000, waitUntil: 'commit' });
    if (kind === 'login') await as.signIn(page, user.username, user.password);
    else await as.consent(page);
    await left;
    await page.waitForLoadState('domcontentloaded');
  }
  await page.waitForURL((u) => u.origin === returnOrigin, { timeout: 60_000 });
  return { pages };
}
