/**
 * End to end over real OAuth: the development authorization server (oidc-provider) and our
 * server (src/main.ts, configured only through its environment) run as separate processes on
 * loopback; the official SDK clients start unauthenticated, follow the 401 to the RFC 9728
 * metadata and the AS metadata, register or use the pre-registered client, run authorization
 * code + PKCE through the AS login form, call tools, and step up on a 403 insufficient_scope.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2, UnauthorizedError as UnauthorizedErrorV2, type OAuthClientProvider as ProviderV2 } from '@modelcontextprotocol/client';
import { claimsOf, CREDENTIALS, freePort, signIn, spawnDevAs, spawnMcpServer, TestOAuthProvider, type Child } from './support.js';

let resource: string;
let issuer: string;
let as: Child;
let mcp: Child;
let rmu: string;

beforeAll(async () => {
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  rmu = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`;
  const dev = await spawnDevAs(resource);
  ({ issuer } = dev);
  as = dev.child;
  mcp = await spawnMcpServer({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), MCP_RESOURCE_URI: resource, MCP_AUTH_ISSUERS: issuer,
  });
}, 90_000);

afterAll(async () => {
  await mcp?.stop();
  await as?.stop();
});

/** One HTTP exchange the SDK made. */
interface Seen { method: string; url: string; status: number; wwwAuthenticate: string | null; mcpMethod: string | null; mcpName: string | null; authorization: boolean }

/** A fetch that records every exchange (the SDK uses it for MCP and OAuth requests alike). */
function recordingFetch(seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const headers = new Headers(init?.headers);
    seen.push({
      method: init?.method ?? 'GET', url: String(input instanceof Request ? input.url : input), status: res.status,
      wwwAuthenticate: res.headers.get('www-authenticate'), mcpMethod: headers.get('mcp-method'), mcpName: headers.get('mcp-name'),
      authorization: headers.has('authorization'),
    });
    return res;
  };
}

const STEP_UP = () => `Bearer resource_metadata="${rmu}", error="insufficient_scope", error_description="The access token lacks the required scope", scope="mcp:tools mcp:admin"`;
// admin_reset_stats is listed to everyone (listing: 'always') so a client can start the step-up.
const BOB_TOOLS = ['admin_reset_stats', 'generate_report', 'get_called_tools', 'get_time', 'get_weather', 'whoami'];

describe('SDK v1 client (@modelcontextprotocol/sdk), 2025-11-25', () => {
  it('from an unauthenticated request: 401 → RFC 9728 metadata → AS metadata → DCR → code + PKCE as bob → tools', async () => {
    const seen: Seen[] = [];
    const provider = new TestOAuthProvider();
    const first = new Client({ name: 'v1-oauth', version: '1.0.0' });
    const t1 = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider, fetch: recordingFetch(seen) });
    await expect(first.connect(t1)).rejects.toBeInstanceOf(UnauthorizedError);

    // What the SDK did before sending the user to the AS.
    expect(seen.slice(0, 4).map((s) => [s.method, s.url, s.status])).toEqual([
      ['POST', resource, 401],
      ['GET', rmu, 200],
      ['GET', `${issuer}/.well-known/oauth-authorization-server`, 200],
      ['POST', `${issuer}/reg`, 201],
    ]);
    expect(seen[0]!.authorization).toBe(false);
    expect(seen[0]!.wwwAuthenticate).toBe(`Bearer resource_metadata="${rmu}", scope="mcp:tools mcp:prompts mcp:resources"`);
    const registered = provider.clientId!;
    expect(registered).toMatch(/.{8,}/);
    expect(registered).not.toBe('mcp-inspector');

    const url = provider.lastAuthorizationUrl;
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code', client_id: registered, code_challenge_method: 'S256', resource, scope: 'mcp:tools mcp:prompts mcp:resources',
      redirect_uri: provider.redirectUrl, state: 'it-state',
    });

    const callback = await signIn(url, 'bob');
    expect(callback.searchParams.get('state')).toBe('it-state');
    await t1.finishAuth(callback.searchParams.get('code')!);
    const token = provider.tokens()!.access_token;
    // bob's roles grant only mcp:tools, whatever was asked for; the token is for this resource only.
    expect(claimsOf(token)).toMatchObject({ iss: issuer, aud: resource, sub: 'bob', client_id: registered, scope: 'mcp:tools' });
    await first.close();

    const client = new Client({ name: 'v1-oauth', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider, fetch: recordingFetch(seen) }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(BOB_TOOLS);
      const weather = await client.callTool({ name: 'get_weather', arguments: { location: 'Berlin' } });
      expect(weather.isError).toBeFalsy();
      expect(weather.structuredContent).toMatchObject({ location: 'Berlin', units: 'celsius' });
      const me = await client.callTool({ name: 'whoami', arguments: {} });
      expect(me.structuredContent).toMatchObject({ subject: 'bob', clientId: registered, scopes: ['mcp:tools'] });
      expect((me.structuredContent as { headers: Record<string, string> }).headers.authorization).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('step-up: a call needing mcp:admin gets the 403, re-authorization as admin with that scope, then success', async () => {
    const seen: Seen[] = [];
    const provider = new TestOAuthProvider({ clientId: 'mcp-inspector', issuer, keepRefreshToken: false });
    const t1 = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider, fetch: recordingFetch(seen) });
    await expect(new Client({ name: 'v1-stepup', version: '1.0.0' }).connect(t1)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(seen.some((s) => s.url.endsWith('/reg'))).toBe(false); // pre-registered public client
    await t1.finishAuth((await signIn(provider.lastAuthorizationUrl, 'bob')).searchParams.get('code')!);

    const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider, fetch: recordingFetch(seen) });
    const client = new Client({ name: 'v1-stepup', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.callTool({ name: 'get_time', arguments: {} })).isError).toBeFalsy();

      const before = seen.length;
      await expect(client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } })).rejects.toBeInstanceOf(UnauthorizedError);
      const refused = seen.slice(before).find((s) => s.status === 403)!;
      expect(refused.wwwAuthenticate).toBe(STEP_UP());
      const url = provider.lastAuthorizationUrl;
      expect(url.searchParams.get('scope')).toBe('mcp:tools mcp:admin');
      expect(url.searchParams.get('client_id')).toBe('mcp-inspector');
      expect(url.searchParams.get('resource')).toBe(resource);

      await transport.finishAuth((await signIn(url, 'admin')).searchParams.get('code')!);
      expect(claimsOf(provider.tokens()!.access_token)).toMatchObject({ sub: 'admin', aud: resource, scope: 'mcp:tools mcp:admin' });
      const reset = await client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } });
      expect(reset.isError).toBeFalsy();
      expect(reset.structuredContent).toMatchObject({ by: 'admin' });
    } finally {
      await client.close();
    }
  });

  it('client_credentials for mcp-m2m (secret from the environment) → tools/call', async () => {
    const provider = new ClientCredentialsProvider({
      clientId: 'mcp-m2m', clientSecret: CREDENTIALS.MCP_M2M_CLIENT_SECRET, expectedIssuer: issuer,
      // SDK v1 sends no scope on client_credentials unless configured, and the AS then grants none.
      scope: 'mcp:tools mcp:prompts mcp:resources',
    });
    const client = new Client({ name: 'v1-m2m', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));
    try {
      expect(claimsOf(provider.tokens()!.access_token)).toMatchObject({ iss: issuer, aud: resource, sub: 'mcp-m2m', client_id: 'mcp-m2m', scope: 'mcp:tools mcp:prompts mcp:resources' });
      const weather = await client.callTool({ name: 'get_weather', arguments: { location: 'Lisbon' } });
      expect(weather.structuredContent).toMatchObject({ location: 'Lisbon' });
      const me = await client.callTool({ name: 'whoami', arguments: {} });
      expect(me.structuredContent).toMatchObject({ subject: 'mcp-m2m', clientId: 'mcp-m2m' });
    } finally {
      await client.close();
    }
  });
});

describe('SDK v2 client (@modelcontextprotocol/client), pinned to 2026-07-28', () => {
  it('401 → discovery → code + PKCE as bob → tools/call; 403 step-up from the Mcp-Method/Mcp-Name request → admin → success', async () => {
    const seen: Seen[] = [];
    // Refresh tokens kept: v2 re-authorizes interactively when the challenged scope is wider.
    const mine = new TestOAuthProvider({ clientId: 'mcp-inspector', issuer });
    const provider: ProviderV2 = mine; // the v1-shaped provider satisfies the v2 interface
    const options = { versionNegotiation: { mode: { pin: '2026-07-28' as const } } };
    const t1 = new TransportV2(new URL(resource), { authProvider: provider, fetch: recordingFetch(seen) });
    await expect(new ClientV2({ name: 'v2-oauth', version: '2.0.0' }, options).connect(t1)).rejects.toBeInstanceOf(UnauthorizedErrorV2);
    expect(seen[0]).toMatchObject({ method: 'POST', url: resource, status: 401, authorization: false, mcpMethod: 'server/discover' });
    expect(seen[0]!.wwwAuthenticate).toBe(`Bearer resource_metadata="${rmu}", scope="mcp:tools mcp:prompts mcp:resources"`);
    expect(seen.some((s) => s.url === rmu && s.status === 200)).toBe(true);

    const callback = await signIn(mine.lastAuthorizationUrl, 'bob');
    expect(callback.searchParams.get('iss')).toBe(issuer); // RFC 9207, checked by v2
    await t1.finishAuth(callback.searchParams);

    const transport = new TransportV2(new URL(resource), { authProvider: provider, fetch: recordingFetch(seen) });
    const client = new ClientV2({ name: 'v2-oauth', version: '2.0.0' }, options);
    await client.connect(transport);
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(BOB_TOOLS);
      const weather = await client.callTool({ name: 'get_weather', arguments: { location: 'Madrid' } });
      expect(weather.structuredContent).toMatchObject({ location: 'Madrid' });

      const before = seen.length;
      await expect(client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } })).rejects.toBeInstanceOf(UnauthorizedErrorV2);
      const refused = seen.slice(before).find((s) => s.status === 403)!;
      expect(refused).toMatchObject({ method: 'POST', mcpMethod: 'tools/call', mcpName: 'admin_reset_stats', authorization: true });
      expect(refused.wwwAuthenticate).toBe(STEP_UP());
      // No refresh was attempted: a refresh cannot add mcp:admin.
      expect(seen.slice(before).some((s) => s.url === `${issuer}/token`)).toBe(false);
      const url = mine.lastAuthorizationUrl;
      // v2 asks for the union of what it holds and what the challenge names.
      expect(url.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
      expect(url.searchParams.get('client_id')).toBe('mcp-inspector');
      expect(url.searchParams.get('resource')).toBe(resource);

      await transport.finishAuth((await signIn(url, 'admin')).searchParams);
      expect(claimsOf(mine.tokens()!.access_token)).toMatchObject({ sub: 'admin', aud: resource, client_id: 'mcp-inspector' });
      expect(String(claimsOf(mine.tokens()!.access_token).scope).split(' ')).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
      const reset = await client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } });
      expect(reset.structuredContent).toMatchObject({ by: 'admin' });
      const me = await client.callTool({ name: 'whoami', arguments: {} });
      expect(me.structuredContent).toMatchObject({ subject: 'admin', clientId: 'mcp-inspector' });
    } finally {
      await client.close();
    }
  });
});
