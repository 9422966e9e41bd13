/**
 * A browser without a browser: drives an authorization server's login and consent pages (Keycloak,
 * the development AS) over plain HTTP
 * (fetch, manual redirects, a cookie jar), the way a user agent would, and the authorization
 * code + PKCE flow around them. The forms are parsed from the HTML Keycloak serves, so a change
 * in Keycloak's login flow (an extra required action, a different page) fails loudly here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cookieFetch } from './cookie-jar.js';

/** A fetch that keeps cookies (one browser profile) and never follows redirects. */
export class Browser {
  private readonly f = cookieFetch();
  fetch(url: string, init: RequestInit = {}): Promise<Response> { return this.f(url, init); }
  /** Forgets every cookie (a fresh browser profile: no SSO session). */
  clear(): void { this.f.clear(); }
}

/** A user of the `mcp` realm and the password Keycloak was started with. */
export interface Login {
  username: string;
  password: string;
}

interface HtmlForm {
  action: string;
  fields: Record<string, string>;
  names: Set<string>;
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const action = /\baction="([^"]*)"/i.exec(m[1] ?? '')?.[1];
    if (action === undefined) continue;
    const fields: Record<string, string> = {};
    const names = new Set<string>();
    for (const input of (m[2] ?? '').matchAll(/<(?:input|button)\b([^>]*)>/gi)) {
      const attrs = input[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(attrs)?.[1];
      if (!name) continue;
      names.add(name);
      if (/\btype="hidden"/i.test(attrs)) fields[name] = decode(/\bvalue="([^"]*)"/i.exec(attrs)?.[1] ?? '');
    }
    forms.push({ action: decode(action), fields, names });
  }
  return forms;
}

/** Text of Keycloak's error/alert message on a page, for failure messages. */
function pageMessage(html: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? '';
  const alert = /class="[^"]*(?:alert|kc-feedback-text|instruction)[^"]*"[^>]*>([\s\S]*?)<\/(?:span|div|p)>/i.exec(html)?.[1]
    ?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
  return `${title}${alert ? `: ${alert}` : ''}`;
}

/** What happened between the authorization request and the return to the client. */
export interface LoginTrace {
  /** The redirect back to the client (carries `code` and `state`, or `error`). */
  callback: URL;
  /** The login form was shown and submitted (false: an existing SSO session was reused). */
  loggedIn: boolean;
  /** The consent page was shown and accepted. */
  consented: boolean;
}

/**
 * Opens an authorization URL and answers Keycloak's pages as the user would: the login form
 * (username + password), then the consent page (accept), until Keycloak redirects away from
 * itself to the client's redirect URI. An existing SSO session in `browser` skips the login.
 */
export async function completeLogin(browser: Browser, authorizationUrl: string | URL, user: Login): Promise<LoginTrace> {
  const start = new URL(authorizationUrl);
  const asOrigin = start.origin;
  let res = await browser.fetch(start.href);
  let loggedIn = false;
  let consented = false;
  let url = start.href;
  for (let step = 0; step < 20; step++) {
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const location = new URL(res.headers.get('location') ?? '', url);
      // Leaving the authorization server means we are back at the client's redirect URI.
      if (location.origin !== asOrigin) return { callback: location, loggedIn, consented };
      url = location.href;
      res = await browser.fetch(url);
      continue;
    }
    const html = await res.text();
    const forms = parseForms(html);
    const login = forms.find((f) => f.names.has('password'));
    const consent = forms.find((f) => f.names.has('accept'));
    let form: HtmlForm;
    let body: Record<string, string>;
    if (login) {
      if (loggedIn) throw new Error(`login as ${user.username} was refused (${res.status} ${pageMessage(html)})`);
      loggedIn = true;
      form = login;
      body = { ...login.fields, username: user.username, password: user.password };
    } else if (consent) {
      if (consented) throw new Error('the consent page came back after it was accepted');
      consented = true;
      form = consent;
      body = { ...consent.fields, accept: 'Yes' };
    } else {
      throw new Error(`unexpected page from the authorization server (${res.status} ${pageMessage(html)}) at ${url}`);
    }
    url = new URL(form.action, url).href;
    res = await browser.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
  }
  throw new Error('too many steps between the authorization request and the redirect back to the client');
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
