/**
 * What the integration tests need from Keycloak beyond the harness: the realm file as the
 * source of the clients and scopes used, the authorization code + PKCE flow through the real
 * login form, refresh, and the few admin REST calls a scenario needs (log a user out, grant a
 * realm role, rotate the realm keys).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeycloakInstance, TokenResponse } from '../keycloak/keycloak-harness.js';
import { completeLogin, pkce, type Browser, type LoginTrace } from '../../../scripts/lib/browser-login.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

interface RealmClient {
  clientId: string;
  redirectUris?: string[];
  defaultClientScopes?: string[];
  optionalClientScopes?: string[];
}
interface RealmFile {
  realm: string;
  clients: RealmClient[];
  clientScopes: { name: string }[];
  users: { username: string; realmRoles?: string[] }[];
}

/** keycloak/realm-mcp.json, the single source of the clients, scopes and users the tests use. */
export const realmFile: RealmFile = JSON.parse(readFileSync(resolve(repoRoot, 'keycloak', 'realm-mcp.json'), 'utf8')) as RealmFile;

/** A client declared in the realm file (throws if the realm no longer declares it). */
export function realmClient(clientId: string): RealmClient {
  const c = realmFile.clients.find((x) => x.clientId === clientId);
  if (!c) throw new Error(`keycloak/realm-mcp.json declares no client "${clientId}"`);
  return c;
}

/** A client scope declared in the realm file (throws if it is not declared). */
export function realmScope(name: string): string {
  if (!realmFile.clientScopes.some((s) => s.name === name)) throw new Error(`keycloak/realm-mcp.json declares no client scope "${name}"`);
  return name;
}

export type DemoUser = 'alice' | 'bob' | 'admin';

/** Username and password of a demo user of this Keycloak instance. */
export function demoUser(kc: KeycloakInstance, user: DemoUser): { username: string; password: string } {
  if (!realmFile.users.some((u) => u.username === user)) throw new Error(`keycloak/realm-mcp.json declares no user "${user}"`);
  return { username: user, password: kc.credentials.users[user] };
}

/** POST a form to the realm's token endpoint; returns status and JSON body. */
export async function tokenEndpoint(kc: KeycloakInstance, form: Record<string, string>, basic?: readonly [string, string]): Promise<{ status: number; body: TokenResponse & { error?: string; error_description?: string } }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString('base64')}`;
  const res = await fetch(`${kc.issuer}/protocol/openid-connect/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as TokenResponse };
}

/** Options for codeFlow(). */
export interface CodeFlowOptions {
  clientId: string;
  redirectUri: string;
  scope: string;
  user: DemoUser;
  /** RFC 8707 resource indicator, sent as an MCP client sends it (Keycloak ignores it unless the experimental feature is on). */
  resource?: string;
}

/**
 * Authorization code + PKCE (S256) for a public client, through Keycloak's login form in
 * `browser` (an SSO session already in it skips the form), then the code redeemed at the
 * token endpoint.
 */
export async function codeFlow(kc: KeycloakInstance, browser: Browser, o: CodeFlowOptions): Promise<{ tokens: TokenResponse; trace: LoginTrace }> {
  const { verifier, challenge } = pkce();
  const state = pkce().verifier;
  const q = new URLSearchParams({
    client_id: o.clientId, redirect_uri: o.redirectUri, response_type: 'code', scope: o.scope, state,
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  if (o.resource) q.set('resource', o.resource);
  const trace = await completeLogin(browser, `${kc.issuer}/protocol/openid-connect/auth?${q}`, demoUser(kc, o.user));
  const { callback } = trace;
  if (callback.searchParams.get('state') !== state) throw new Error(`state mismatch in ${callback.href}`);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`authorization failed: ${callback.search}`);
  const form: Record<string, string> = { grant_type: 'authorization_code', client_id: o.clientId, code, redirect_uri: o.redirectUri, code_verifier: verifier };
  if (o.resource) form.resource = o.resource;
  const res = await tokenEndpoint(kc, form);
  if (res.status !== 200) throw new Error(`code redemption failed: ${res.status} ${res.body.error ?? ''} ${res.body.error_description ?? ''}`);
  return { tokens: res.body, trace };
}

/** Refresh grant for a public client. */
export function refresh(kc: KeycloakInstance, clientId: string, refreshToken: string) {
  return tokenEndpoint(kc, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
}

/** Client credentials for mcp-m2m (the realm's machine-to-machine client). */
export async function clientCredentials(kc: KeycloakInstance, scope?: string): Promise<TokenResponse> {
  const res = await tokenEndpoint(kc, { grant_type: 'client_credentials', ...(scope ? { scope } : {}) }, [realmClient('mcp-m2m').clientId, kc.credentials.m2mClientSecret]);
  if (res.status !== 200) throw new Error(`client credentials failed: ${res.status} ${res.body.error ?? ''}`);
  return res.body;
}

// ---------------------------------------------------------------------------------------------
// admin REST API (master-realm bootstrap admin)

async function admin(kc: KeycloakInstance, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${kc.baseUrl}/admin/realms/${kc.realm}${path}`, {
    method,
    headers: { authorization: `Bearer ${await kc.adminToken()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The Keycloak id of a demo user. */
export async function userId(kc: KeycloakInstance, username: DemoUser): Promise<string> {
  const users = (await admin(kc, 'GET', `/users?username=${encodeURIComponent(username)}&exact=true`)) as { id: string }[];
  const id = users[0]?.id;
  if (!id) throw new Error(`no user ${username}`);
  return id;
}

/** Ends every session of the user (Admin console: Users → Sessions → Sign out). */
export async function logoutUser(kc: KeycloakInstance, username: DemoUser): Promise<void> {
  await admin(kc, 'POST', `/users/${await userId(kc, username)}/logout`);
}

/** Adds (or removes) a realm role mapping for a user. */
export async function setRealmRole(kc: KeycloakInstance, username: DemoUser, role: string, granted: boolean): Promise<void> {
  const r = (await admin(kc, 'GET', `/roles/${encodeURIComponent(role)}`)) as { id: string; name: string };
  await admin(kc, granted ? 'POST' : 'DELETE', `/users/${await userId(kc, username)}/role-mappings/realm`, [{ id: r.id, name: r.name }]);
}

/** The kid of the active RS256 signing key. */
export async function activeRs256Kid(kc: KeycloakInstance): Promise<string> {
  const keys = (await admin(kc, 'GET', '/keys')) as { active: Record<string, string> };
  const kid = keys.active.RS256;
  if (!kid) throw new Error('no active RS256 key');
  return kid;
}

/**
 * Rotates the realm's signing key the way an operator does: adds a new generated RSA key
 * provider with a higher priority than the current one. New tokens are signed with the new
 * key; the old key stays published (passive verification) so tokens in flight stay valid.
 */
export async function rotateRealmKey(kc: KeycloakInstance, priority: number): Promise<void> {
  const realm = (await admin(kc, 'GET', '')) as { id: string };
  await admin(kc, 'POST', '/components', {
    name: `rotated-rsa-${priority}`,
    providerId: 'rsa-generated',
    providerType: 'org.keycloak.keys.KeyProvider',
    parentId: realm.id,
    config: { priority: [String(priority)], keySize: ['2048'], algorithm: ['RS256'], active: ['true'], enabled: ['true'] },
  });
}
