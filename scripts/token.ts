/**
 * Print an access token for curl: `make token WHO=alice` (or bob, admin, m2m).
 * - m2m: client credentials of `mcp-m2m` (MCP_M2M_CLIENT_SECRET).
 * - a demo user: authorization code + PKCE S256 with the public client `mcp-inspector`,
 *   signing in on the authorization server's own login page over plain HTTP with the user's
 *   password from the environment (MCP_DEMO_<USER>_PASSWORD), exactly as a browser would.
 * Works against the Keycloak realm and the development authorization server alike.
 *
 *   tsx scripts/token.ts --who alice [--issuer URL] [--scope "mcp:tools mcp:prompts"] [--resource URL]
 */
import { Browser, completeLogin, pkce } from './lib/browser-login.js';

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const who = arg('who', 'm2m')!;
const issuer = (arg('issuer') ?? process.env.KC_ISSUER ?? process.env.MCP_AUTH_ISSUERS?.split(',')[0] ?? `http://localhost:${process.env.MCP_DEV_AUTH_PORT ?? 9400}`).replace(/\/$/, '');
const resource = arg('resource', process.env.MCP_RESOURCE_URI ?? 'http://localhost:3000/mcp')!;
const scope = arg('scope', 'mcp:tools mcp:prompts mcp:resources')!;
// The loopback callback registered for mcp-inspector; nothing needs to listen there, the
// script reads the code from the redirect itself.
const REDIRECT = 'http://127.0.0.1:6274/oauth/callback';

function fail(message: string): never {
  console.error(`token: ${message}`);
  process.exit(1);
}

async function metadata(): Promise<{ token_endpoint: string; authorization_endpoint: string }> {
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    const res = await fetch(`${issuer}${path}`).catch(() => undefined);
    if (res?.ok) return (await res.json()) as { token_endpoint: string; authorization_endpoint: string };
  }
  fail(`no authorization server metadata at ${issuer} (start Keycloak with 'make keycloak' or the server with 'npm start', or pass --issuer)`);
}

async function tokenRequest(endpoint: string, body: URLSearchParams, basic?: string): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}) },
    body,
  });
  const json = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !json.access_token) fail(`the token endpoint refused: ${json.error ?? res.status} ${json.error_description ?? ''}`);
  return json.access_token;
}

const meta = await metadata();
if (who === 'm2m') {
  const secret = process.env.MCP_M2M_CLIENT_SECRET ?? fail('set MCP_M2M_CLIENT_SECRET (see .env.example)');
  console.log(await tokenRequest(meta.token_endpoint, new URLSearchParams({ grant_type: 'client_credentials', scope, resource }), `mcp-m2m:${secret}`));
} else {
  const password = process.env[`MCP_DEMO_${who.toUpperCase()}_PASSWORD`] ?? fail(`set MCP_DEMO_${who.toUpperCase()}_PASSWORD (see .env.example)`);
  const { verifier, challenge } = pkce();
  const state = crypto.randomUUID();
  const url = new URL(meta.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'mcp-inspector', redirect_uri: REDIRECT, scope, resource, state, code_challenge: challenge, code_challenge_method: 'S256' })) url.searchParams.set(k, v);
  const { callback } = await completeLogin(new Browser(), url, { username: who, password });
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) fail(`sign-in did not return a code: ${callback.searchParams.get('error') ?? 'unexpected redirect'} ${callback.searchParams.get('error_description') ?? ''}`);
  console.log(await tokenRequest(meta.token_endpoint, new URLSearchParams({
    grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'mcp-inspector', code_verifier: verifier, resource,
  })));
}
