/**
 * Test driver for the development authorization server: starts it with fixed demo credentials
 * and walks the authorization code + PKCE flow over plain HTTP (fetch, manual redirects, a
 * tiny cookie jar), the way a browser would.
 */
import { cookieFetch } from '../../../../scripts/lib/cookie-jar.js';
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { createDevAuthServer } from '../../src/dev-auth/index.js';
import type { DevAuthServer } from '../../src/dev-auth/index.js';

export const RESOURCE = 'http://localhost:3000/mcp';
export const INSPECTOR_CALLBACK = 'http://localhost:6274/oauth/callback';
/** Fixed values for the realm placeholders. */
export const ENV = {
  MCP_DEMO_ALICE_PASSWORD: 'alice-pw', MCP_DEMO_BOB_PASSWORD: 'bob-pw', MCP_DEMO_ADMIN_PASSWORD: 'admin-pw',
  MCP_M2M_CLIENT_SECRET: 'm2m-secret', MCP_SERVER_CLIENT_SECRET: 'server-secret',
} as const;

/** Starts a server on 127.0.0.1:0 with ENV and a silent log. */
export function startDevAuth(): Promise<DevAuthServer> {
  return createDevAuthServer({ resource: RESOURCE, port: 0, host: '127.0.0.1', env: ENV, log: () => {} });
}

/** HTTP Basic client authentication (RFC 6749 §2.3.1). */
export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** POSTs a form; returns status and parsed JSON. */
export async function postForm(url: string, form: Record<string, string | undefined>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

/** Verifies an access token against the issuer's JWKS (RFC 9068 typ at+jwt). */
export async function verifyAccessToken(issuer: string, token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const { payload } = await jwtVerify(token, jwks, { issuer, typ: 'at+jwt', algorithms: ['RS256'] });
  return payload;
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A fetch that keeps cookies like a browser and never follows redirects. */
export function browser(): (url: string, init?: RequestInit) => Promise<Response> {
  return cookieFetch();
}

/** Options for authorize(). */
export interface AuthorizeOptions {
  clientId: string;
  redirectUri?: string;
  scope: string;
  resource?: string;
  username: string;
  password: string;
  /** Omit the PKCE challenge (to test that it is required). */
  noPkce?: boolean;
}

/** Drives /auth → login form → (consent) → redirect_uri; returns the callback URL and the verifier. */
export async function authorize(issuer: string, o: AuthorizeOptions): Promise<{ callback: URL; verifier: string }> {
  const redirectUri = o.redirectUri ?? INSPECTOR_CALLBACK;
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({ client_id: o.clientId, redirect_uri: redirectUri, response_type: 'code', scope: o.scope, state: 'st4te' });
  if (!o.noPkce) { q.set('code_challenge', challenge); q.set('code_challenge_method', 'S256'); }
  if (o.resource) q.set('resource', o.resource);

  const send = browser();
  let res = await send(`${issuer}/auth?${q}`);
  for (let hops = 0; hops < 12; hops += 1) {
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get('location')!, issuer);
      // Leaving the issuer means we are back at the client's redirect_uri.
      if (location.origin !== new URL(issuer).origin) return { callback: location, verifier };
      res = await send(location.href);
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`unexpected ${res.status} page: ${html.slice(0, 300)}`);
    const form = action.endsWith('/login') ? new URLSearchParams({ username: o.username, password: o.password }) : new URLSearchParams();
    if (res.status === 401) throw new Error('login failed');
    res = await send(new URL(action, issuer).href, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  throw new Error('too many redirects');
}

/** Exchanges an authorization code at the token endpoint. */
export function redeemCode(issuer: string, clientId: string, callback: URL, verifier: string, redirectUri = INSPECTOR_CALLBACK, resource?: string) {
  return postForm(`${issuer}/token`, {
    grant_type: 'authorization_code', client_id: clientId, code: callback.searchParams.get('code') ?? '',
    redirect_uri: redirectUri, code_verifier: verifier, resource,
  });
}
