/**
 * What `npm start` gives a new user: src/main.ts with no issuer configured starts the embedded
 * development authorization server itself, and the official SDK client authorizes against it
 * from a cold start: 401 → RFC 9728 metadata → AS metadata → dynamic registration → code +
 * PKCE → tools; then a 403 step-up to mcp:admin succeeds for the same registered client.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { claimsOf, CREDENTIALS, freePort, signIn, spawnMcpServer, TestOAuthProvider, type Child } from './support.js';

let mcp: Child;
let resource: string;
let issuer: string;

beforeAll(async () => {
  const port = await freePort();
  const asPort = await freePort();
  resource = `http://localhost:${port}/mcp`;
  // Exactly the development defaults, except free ports and known demo passwords.
  mcp = await spawnMcpServer({ ...CREDENTIALS, PORT: String(port), MCP_DEV_AUTH_PORT: String(asPort), NODE_ENV: 'development' });
  issuer = `http://localhost:${asPort}`;
}, 90_000);

afterAll(async () => { await mcp?.stop(); });

const connect = async (provider: TestOAuthProvider) => {
  const client = new Client({ name: 'first-run', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));
  return client;
};

describe('npm start with no issuer configured', () => {
  it('serves an OAuth-protected endpoint backed by the development authorization server', async () => {
    const meta = await (await fetch(`http://localhost:${new URL(resource).port}/.well-known/oauth-protected-resource/mcp`)).json() as Record<string, unknown>;
    expect(meta).toMatchObject({ resource, authorization_servers: [issuer], bearer_methods_supported: ['header'] });
    const anonymous = await fetch(resource, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(anonymous.status).toBe(401);
  });

  it('lets the official SDK client register, sign in, call a tool, and step up to mcp:admin', async () => {
    // keepRefreshToken false: SDK v1 tries a refresh first on a 403, and a refresh cannot widen scope.
    const provider = new TestOAuthProvider({ keepRefreshToken: false });
    const probe = new Client({ name: 'first-run', version: '1.0.0' });
    const t = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await expect(probe.connect(t)).rejects.toBeInstanceOf(UnauthorizedError);
    await t.finishAuth((await signIn(provider.lastAuthorizationUrl, 'admin')).searchParams.get('code')!);
    await probe.close();
    expect(claimsOf(provider.tokens()!.access_token)).toMatchObject({ iss: issuer, aud: resource, sub: 'admin', scope: 'mcp:tools mcp:prompts mcp:resources' });

    const client = await connect(provider);
    const weather = await client.callTool({ name: 'get_weather', arguments: { location: 'Berlin' } });
    expect(weather.structuredContent).toMatchObject({ location: 'Berlin', units: 'celsius' });
    // The admin tool is listed (listing: 'always') before the token carries mcp:admin: the
    // client sees it, calls it, and gets the 403 that starts the step-up.
    expect((await client.listTools()).tools.map((x) => x.name)).toContain('admin_reset_stats');
    await expect(client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } })).rejects.toThrow();
    await client.close();

    // The SDK answered the 403 by sending the user back to the AS with the wider scope.
    const stepUp = provider.lastAuthorizationUrl;
    expect(stepUp.searchParams.get('scope')).toContain('mcp:admin');
    const t2 = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await t2.finishAuth((await signIn(stepUp, 'admin')).searchParams.get('code')!);
    expect(String(claimsOf(provider.tokens()!.access_token).scope).split(' ')).toContain('mcp:admin');
    const again = await connect(provider);
    const reset = await again.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } });
    expect(reset.isError).toBeFalsy();
    expect(reset.structuredContent).toMatchObject({ by: 'admin' });
    await again.close();
  });
});
