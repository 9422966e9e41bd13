/**
 * The OAuth journeys of the README against the containerised stack, from the host: what an
 * unauthenticated client learns (RFC 9728), a machine client (client credentials), a user
 * through Keycloak's login form with the official SDK client (authorization code + PKCE), and
 * MCP Inspector's way in (Dynamic Client Registration) with a 403 step-up to mcp:admin.
 */
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import { Browser, completeLogin } from '../../../scripts/lib/browser-login.js';
import { INSPECTOR_REDIRECT, InspectorLikeProvider } from '../../integration/support/inspector-provider.js';
import { clientCredentials, realmClient, type DemoUser } from '../../integration/support/keycloak.js';
import { callTool, challengeParam, rpc } from '../../integration/support/mcp-http.js';
import type { Appliance } from '../support/appliance.js';

const scopesOf = (token: string) => String(decodeJwt(token).scope ?? '').split(' ').filter(Boolean);

/** 401 with `resource_metadata` (RFC 9728 §5.1), the metadata document, and Keycloak's. */
export async function protectedResourceMetadata(a: Appliance): Promise<void> {
  const denied = await rpc(a.mcpUrl, undefined, 'tools/list');
  assert.equal(denied.status, 401);
  const prmUrl = challengeParam(denied.wwwAuthenticate, 'resource_metadata');
  assert.equal(prmUrl, `${a.mcpOrigin}/.well-known/oauth-protected-resource/mcp`, `WWW-Authenticate: ${denied.wwwAuthenticate}`);
  const prm = (await (await fetch(prmUrl!)).json()) as { resource: string; authorization_servers: string[]; scopes_supported: string[] };
  assert.equal(prm.resource, a.mcpUrl);
  assert.deepEqual(prm.authorization_servers, [a.kc.issuer]);
  assert.ok(prm.scopes_supported.includes('mcp:tools'), `scopes_supported: ${prm.scopes_supported}`);
  // The issuer in the metadata is reachable from the host, as a client needs it (RFC 8414 §3).
  const asMeta = (await (await fetch(`${new URL(a.kc.issuer).origin}/.well-known/oauth-authorization-server${new URL(a.kc.issuer).pathname}`)).json()) as { issuer: string };
  assert.equal(asMeta.issuer, a.kc.issuer);
}

/** mcp-m2m with the secret from .env → a token for the resource → tools/call. */
export async function clientCredentialsCall(a: Appliance): Promise<void> {
  const { access_token: token } = await clientCredentials(a.kc);
  assert.ok([decodeJwt(token).aud ?? []].flat().includes(a.mcpUrl), 'aud names the MCP resource');
  const who = await callTool(a.mcpUrl, token, 'whoami');
  assert.equal(who.status, 200, JSON.stringify(who.body));
  const result = who.body.result as { isError?: boolean; structuredContent: { clientId: string } };
  assert.equal(result.isError, undefined);
  assert.equal(result.structuredContent.clientId, realmClient('mcp-m2m').clientId);
  const weather = await callTool(a.mcpUrl, token, 'get_weather', { location: 'Berlin' });
  assert.deepEqual((weather.body.result as { structuredContent: { location: string } }).structuredContent.location, 'Berlin');
}

/** A fetch that remembers each response's status and challenge (the SDK uses it for everything). */
function recording(seen: { url: string; status: number; wwwAuthenticate: string | null }[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    seen.push({ url: String(input instanceof Request ? input.url : input), status: res.status, wwwAuthenticate: res.headers.get('www-authenticate') });
    return res;
  };
}

/**
 * Authorization code + PKCE by the SDK client itself, for the realm's pre-registered public
 * client mcp-inspector: the SDK meets the 401, discovers Keycloak, sends the user to the login
 * form (which alice fills in), redeems the code with its verifier, then lists and calls.
 */
export async function codeFlowWithSdk(a: Appliance): Promise<void> {
  const provider = new InspectorLikeProvider();
  provider.saveClientInformation({ client_id: realmClient('mcp-inspector').clientId });
  const transport = new StreamableHTTPClientTransport(new URL(a.mcpUrl), { authProvider: provider });
  await assert.rejects(new Client({ name: 'compose-code-flow', version: '1.0.0' }).connect(transport), UnauthorizedError);
  const authUrl = provider.authorizationUrls[0];
  assert.ok(authUrl, 'the SDK asked to open an authorization URL');
  assert.equal(`${authUrl.origin}${authUrl.pathname}`, `${a.kc.issuer}/protocol/openid-connect/auth`);
  assert.equal(authUrl.searchParams.get('client_id'), 'mcp-inspector');
  assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256');
  assert.match(authUrl.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
  assert.equal(authUrl.searchParams.get('resource'), a.mcpUrl); // RFC 8707

  const trace = await completeLogin(new Browser(), authUrl, { username: 'alice', password: a.kc.credentials.users.alice });
  assert.ok(trace.loggedIn, 'the login form was shown and submitted');
  assert.equal(`${trace.callback.origin}${trace.callback.pathname}`, INSPECTOR_REDIRECT);
  assert.equal(trace.callback.searchParams.get('state'), provider.expectedState);
  await transport.finishAuth(trace.callback.searchParams.get('code')!);

  const client = new Client({ name: 'compose-code-flow', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(a.mcpUrl), { authProvider: provider }));
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const n of ['generate_report', 'get_time', 'get_weather', 'whoami']) assert.ok(names.includes(n), `tools/list lacks ${n}: ${names}`);
    const who = (await client.callTool({ name: 'whoami', arguments: {} })).structuredContent as { subject: string; clientId: string };
    assert.deepEqual({ subject: who.subject, clientId: who.clientId }, { subject: decodeJwt(provider.tokens()!.access_token).sub, clientId: 'mcp-inspector' });
  } finally {
    await client.close();
  }
}

/**
 * Inspector-like, but without refresh tokens at step-up time: SDK v1 answers a 403
 * insufficient_scope by refreshing when it holds a refresh token, and a refresh cannot widen
 * the scope, so the client would give up ("403 after trying upscoping") without ever asking
 * the user. Without one, it re-authorizes with the challenge's scope, as the README describes.
 */
class StepUpInspectorProvider extends InspectorLikeProvider {
  override tokens(): OAuthTokens | undefined {
    const t = super.tokens();
    return t && { ...t, refresh_token: undefined };
  }
}

/**
 * MCP Inspector's way in: 401 → RFC 9728 → RFC 8414 → anonymous DCR as "MCP Inspector" →
 * login + consent as `user` → tools; then admin_reset_stats → 403 insufficient_scope naming
 * mcp:admin → re-authorization with that scope (SSO: no password) → the call again. Keycloak
 * grants mcp:admin only to holders of the mcp-admin role: `admin` succeeds, `alice` is refused.
 */
export async function dcrAndStepUp(a: Appliance, user: Extract<DemoUser, 'admin' | 'alice'>): Promise<void> {
  const seen: { url: string; status: number; wwwAuthenticate: string | null }[] = [];
  const provider = new StepUpInspectorProvider();
  const options = { authProvider: provider, fetch: recording(seen) };
  const first = new StreamableHTTPClientTransport(new URL(a.mcpUrl), options);
  await assert.rejects(new Client({ name: 'mcp-inspector', version: '0.0.0-compose' }).connect(first), UnauthorizedError);
  const registered = provider.clientInformation() as { client_id: string; client_name?: string } | undefined;
  assert.ok(registered?.client_id && registered.client_id !== 'mcp-inspector', 'registered a client of its own');
  assert.ok(seen.some((s) => s.url.endsWith('/clients-registrations/openid-connect') && s.status === 201), 'DCR answered 201');
  const browser = new Browser();
  const password = a.kc.credentials.users[user];
  const login = await completeLogin(browser, provider.authorizationUrls[0]!, { username: user, password });
  assert.ok(login.loggedIn && login.consented, 'login form and consent page (anonymous DCR clients need consent)');
  await first.finishAuth(login.callback.searchParams.get('code')!);

  const transport = new StreamableHTTPClientTransport(new URL(a.mcpUrl), options);
  const client = new Client({ name: 'mcp-inspector', version: '0.0.0-compose' });
  await client.connect(transport);
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    // Listed to every user, so Inspector can offer it and the call can start the step-up.
    assert.ok(names.includes('admin_reset_stats'), `tools/list lacks admin_reset_stats: ${names}`);
    assert.ok(!scopesOf(provider.tokens()!.access_token).includes('mcp:admin'), 'the first token has no mcp:admin');

    await assert.rejects(client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } }), UnauthorizedError);
    const refused = seen.findLast((s) => s.status === 403);
    assert.equal(challengeParam(refused?.wwwAuthenticate ?? null, 'error'), 'insufficient_scope');
    assert.ok((challengeParam(refused?.wwwAuthenticate ?? null, 'scope') ?? '').split(' ').includes('mcp:admin'), `challenge: ${refused?.wwwAuthenticate}`);
    const stepUpUrl = provider.authorizationUrls.at(-1)!;
    assert.ok(stepUpUrl.searchParams.get('scope')!.split(' ').includes('mcp:admin'), `step-up asks for ${stepUpUrl.searchParams.get('scope')}`);

    const again = await completeLogin(browser, stepUpUrl, { username: user, password });
    assert.equal(again.loggedIn, false, 'the SSO session skips the password');
    const code = again.callback.searchParams.get('code');
    assert.ok(code, `Keycloak refused the step-up authorization: ${again.callback.search}`);
    await transport.finishAuth(code);
    const scopes = scopesOf(provider.tokens()!.access_token);
    if (user === 'admin') {
      assert.ok(scopes.includes('mcp:admin'), `admin's token after step-up: ${scopes}`);
      const reset = await client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } });
      assert.equal(reset.isError, undefined, JSON.stringify(reset.content));
      assert.equal((reset.structuredContent as { by: string }).by, decodeJwt(provider.tokens()!.access_token).sub);
    } else {
      // alice lacks the mcp-admin role: Keycloak leaves mcp:admin out and the server refuses again.
      assert.ok(!scopes.includes('mcp:admin'), `alice's token after step-up: ${scopes}`);
      await assert.rejects(client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } }),
        (e: unknown) => e instanceof StreamableHTTPError && e.code === 403);
    }
  } finally {
    await client.close();
  }
}
