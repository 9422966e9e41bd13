/**
 * The MCP server against a real Keycloak (realm keycloak/realm-mcp.json): one Keycloak for the
 * whole file (testcontainers when a Docker engine is available, else the Maven distribution
 * through scripts/keycloak), and our server as a child process configured only through its
 * environment, as an operator would run it. Every client, scope and user comes from the realm
 * file; nothing is created through the admin API except what a scenario is about (a realm role
 * grant for step-up, a new signing key for rotation, a session logout).
 *
 * The tests run in order and share one Keycloak; the outage test restarts it and so runs last.
 * Without Docker or Java the file is skipped with a banner, and fails when CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { authFromConfig } from '../../services/mcp-server/src/bootstrap/auth-from-config.js';
import { loadConfig } from '../../services/mcp-server/src/config/config.js';
import { createLogger } from '../../services/mcp-server/src/logging/logger.js';
import { startKeycloak, type KeycloakInstance } from './keycloak/keycloak-harness.js';
import { requireKeycloakRuntime } from './support/availability.js';
import { Browser, completeLogin } from '../../scripts/lib/browser-login.js';
import { INSPECTOR_REDIRECT, InspectorLikeProvider } from './support/inspector-provider.js';
import {
  activeRs256Kid, clientCredentials, codeFlow, logoutUser, realmClient, realmFile, realmScope, refresh, rotateRealmKey,
  setRealmRole, tokenEndpoint, type DemoUser,
} from './support/keycloak.js';
import { callTool, challengeParam, rpc } from './support/mcp-http.js';
import { freePort, startMcpServer, type McpServerProcess } from './support/mcp-server.js';
import { connectWithDpop, dpopFetch, dpopKey, dpopProof } from '../oauth/dpop-client.js';

const runnable = await requireKeycloakRuntime('Keycloak integration suite (test/integration/keycloak.test.ts)');
const suite = runnable ? describe : describe.skip;

// Everything below comes from the realm file; a rename there fails here first.
const INSPECTOR = realmClient('mcp-inspector').clientId;
const SERVER_CLIENT = realmClient('mcp-server').clientId;
const DOWNSTREAM = realmClient('downstream-api').clientId;
const TOOLS = realmScope('mcp:tools');
const PROMPTS = realmScope('mcp:prompts');
const RESOURCES = realmScope('mcp:resources');
const ADMIN_SCOPE = realmScope('mcp:admin');
const ADMIN_ROLE = 'mcp-admin';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const scopesOf = (token: string) => String(decodeJwt(token).scope ?? '').split(' ').filter(Boolean);
const mcpScopesOf = (token: string) => scopesOf(token).filter((s) => s.startsWith('mcp:'));
const audOf = (token: string) => [decodeJwt(token).aud ?? []].flat();
const kidOf = (token: string) => decodeProtectedHeader(token).kid;

suite('MCP server with a real Keycloak', () => {
  let kc: KeycloakInstance;
  let server: McpServerProcess;
  let port: number;
  let resource: string;
  /** The scope our server's 401 asks for (MCP_CHALLENGE_SCOPES), read from a real 401. */
  let challengeScope: string;

  /** The server's environment: only what an operator would set for this Keycloak. */
  const serverEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
    MCP_RESOURCE_URI: resource,
    MCP_AUTH_ISSUERS: kc.issuer,
    MCP_TOKEN_MODE: 'jwt',
    MCP_INTROSPECTION_CLIENT_ID: SERVER_CLIENT,
    MCP_INTROSPECTION_CLIENT_SECRET: kc.credentials.serverClientSecret,
    // One JWKS fetch per second at most, so a rotated key is picked up without a 30 s wait.
    MCP_JWKS_COOLDOWN_MS: '1000',
    // The suite provokes 401s on purpose; the failed-auth limit is not under test here.
    MCP_RATE_LIMIT_FAILED_AUTH_MAX: '10000',
    ...extra,
  });

  const login = (browser: Browser, user: DemoUser, scope: string, clientId = INSPECTOR) =>
    codeFlow(kc, browser, { clientId, redirectUri: INSPECTOR_REDIRECT, scope, user, resource });

  beforeAll(async () => {
    port = await freePort();
    resource = `http://localhost:${port}/mcp`;
    // The realm's MCP scopes put MCP_RESOURCE_URI into `aud`: Keycloak must know our URI.
    kc = await startKeycloak({ resourceUri: resource });
    server = await startMcpServer(port, serverEnv());
    const first = await rpc(server.url, undefined, 'tools/list');
    challengeScope = challengeParam(first.wwwAuthenticate, 'scope') ?? '';
  }, 360_000);

  afterAll(async () => {
    await server?.stop();
    await kc?.stop();
  }, 120_000);

  it('realm file and server agree: Inspector\'s callback is a redirect URI of mcp-inspector, the 401 asks for realm scopes', () => {
    expect(realmClient(INSPECTOR).redirectUris).toContain(INSPECTOR_REDIRECT);
    expect(challengeScope.split(' ').sort()).toEqual([PROMPTS, RESOURCES, TOOLS].sort());
  });

  it('client credentials (mcp-m2m) → tools/call', async () => {
    const { access_token: token } = await clientCredentials(kc);
    expect(audOf(token)).toContain(resource);
    expect(scopesOf(token)).toEqual(expect.arrayContaining([TOOLS, PROMPTS, RESOURCES]));

    const who = await callTool(server.url, token, 'whoami');
    expect(who.status).toBe(200);
    const result = who.body.result as { structuredContent: { subject: string; clientId: string; scopes: string[] } };
    expect(result.structuredContent.clientId).toBe(realmClient('mcp-m2m').clientId);
    expect(result.structuredContent.subject).toBe(decodeJwt(token).sub);

    const time = await callTool(server.url, token, 'get_time', { timezone: 'Europe/Berlin' });
    expect(time.status).toBe(200);
    expect((time.body.result as { isError?: boolean }).isError).toBeFalsy();
  });

  it('DPoP (mcp-m2m-dpop): Keycloak binds the token to the proof key; MCP_DPOP=allowed accepts it with proofs, refuses it as Bearer', async () => {
    const DPOP_CLIENT = realmClient('mcp-m2m-dpop').clientId;
    const key = await dpopKey();
    const tokenUrl = `${kc.issuer}/protocol/openid-connect/token`;
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded', dpop: await dpopProof(key, 'POST', tokenUrl),
        authorization: `Basic ${Buffer.from(`${DPOP_CLIENT}:${kc.credentials.m2mDpopClientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(res.status).toBe(200);
    expect(body.token_type).toBe('DPoP');
    const token = body.access_token;
    expect(decodeJwt(token).cnf).toMatchObject({ jkt: await calculateJwkThumbprint(key.jwk, 'sha256') });
    expect(audOf(token)).toContain(resource);

    // A second server with MCP_DPOP=allowed; same resource URI, so proofs name `resource` as htu.
    const dpopServer = await startMcpServer(await freePort(), serverEnv({ MCP_DPOP: 'allowed' }));
    try {
      const call = await dpopFetch(key, token, 'DPoP', resource)(dpopServer.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
      });
      expect(call.status).toBe(200);
      await call.text();

      const client = await connectWithDpop(key, dpopServer.url, token, 'DPoP', resource);
      try {
        const me = await client.callTool({ name: 'whoami', arguments: {} });
        expect(me.structuredContent).toMatchObject({ clientId: DPOP_CLIENT, subject: decodeJwt(token).sub });
      } finally {
        await client.close();
      }

      const asBearer = await rpc(dpopServer.url, token, 'tools/list');
      expect(asBearer.status).toBe(401);
      expect(asBearer.wwwAuthenticate).toMatch(/DPoP [^]*error="invalid_token"[^]*algs="/);
    } finally {
      await dpopServer.stop();
    }
  });

  it('authorization code + PKCE through the Keycloak login form (mcp-inspector, alice) → list and call with the SDK client', async () => {
    // What a client learns from the server before logging in: the 401 and the RFC 9728 document.
    const denied = await rpc(server.url, undefined, 'tools/list');
    expect(denied.status).toBe(401);
    const prmUrl = challengeParam(denied.wwwAuthenticate, 'resource_metadata');
    expect(prmUrl).toBe(`http://localhost:${port}/.well-known/oauth-protected-resource/mcp`);
    const prm = (await (await fetch(prmUrl!)).json()) as { resource: string; authorization_servers: string[] };
    expect(prm).toMatchObject({ resource, authorization_servers: [kc.issuer] });

    const { tokens, trace } = await login(new Browser(), 'alice', challengeScope);
    expect(trace).toMatchObject({ loggedIn: true, consented: false });
    // alice has the mcp-tools and mcp-prompts roles only: Keycloak drops mcp:resources silently.
    expect(scopesOf(tokens.access_token)).toEqual(expect.arrayContaining([TOOLS, PROMPTS]));
    expect(scopesOf(tokens.access_token)).not.toContain(RESOURCES);

    const client = new Client({ name: 'integration-code-flow', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { authorization: `Bearer ${tokens.access_token}` } },
    }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['get_time', 'get_weather', 'whoami']));
      expect(names).not.toContain('get_private_notes'); // needs mcp:private, listed only when permitted
      expect(names).toContain('admin_reset_stats'); // needs mcp:admin, but listed to all (step-up demo)
      const who = await client.callTool({ name: 'whoami', arguments: {} });
      expect(who.structuredContent).toMatchObject({ subject: decodeJwt(tokens.access_token).sub, clientId: INSPECTOR });
    } finally {
      await client.close();
    }
  });

  // Shared by the DCR and refresh tests: the SDK's OAuth state for one Inspector-like client.
  const sdk = { provider: undefined as InspectorLikeProvider | undefined, requests: [] as { method: string; url: string; status: number; grant?: string }[] };
  const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const grant = init?.body instanceof URLSearchParams ? init.body.get('grant_type') ?? undefined : undefined;
    const res = await fetch(input, init);
    sdk.requests.push({ method, url, status: res.status, ...(grant ? { grant } : {}) });
    return res;
  };

  it('Dynamic Client Registration as MCP Inspector does it: 401 → metadata discovery → DCR → login + consent → list and call (SDK v1 OAuth)', async () => {
    const provider = new InspectorLikeProvider();
    sdk.provider = provider;
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider, fetch: recordingFetch });
    const client = new Client({ name: 'mcp-inspector', version: '0.0.0-test' });
    // Unauthenticated connect: the SDK gets a 401, discovers, registers and asks to redirect.
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);

    const seen = sdk.requests.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.status}`);
    const issuerPath = new URL(kc.issuer).pathname;
    expect(seen[0]).toBe('POST /mcp 401');
    expect(seen).toContain('GET /.well-known/oauth-protected-resource/mcp 200');
    expect(seen).toContain(`GET /.well-known/oauth-authorization-server${issuerPath} 200`);
    expect(seen).toContain(`POST ${issuerPath}/clients-registrations/openid-connect 201`);
    // In that order: resource metadata, then authorization server metadata, then registration.
    const order = ['GET /.well-known/oauth-protected-resource/mcp 200', `GET /.well-known/oauth-authorization-server${issuerPath} 200`, `POST ${issuerPath}/clients-registrations/openid-connect 201`].map((r) => seen.indexOf(r));
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const registered = provider.clientInformation() as { client_id: string; client_name?: string; token_endpoint_auth_method?: string; redirect_uris?: string[]; scope?: string };
    expect(registered.client_id).toBeTruthy();
    expect(registered.client_id).not.toBe(INSPECTOR);
    expect(registered).toMatchObject({ client_name: 'MCP Inspector', token_endpoint_auth_method: 'none', redirect_uris: [INSPECTOR_REDIRECT] });
    // Keycloak answers with the client's optional scopes: the ones asked for, plus the privileged
    // ones the realm's mcp-step-up-scopes policy attaches so the client can step up later.
    expect(registered.scope?.split(' ')).toEqual(expect.arrayContaining([...challengeScope.split(' '), ADMIN_SCOPE]));

    expect(provider.authorizationUrls).toHaveLength(1);
    const authUrl = provider.authorizationUrls[0]!;
    expect(`${authUrl.origin}${authUrl.pathname}`).toBe(`${kc.issuer}/protocol/openid-connect/auth`);
    expect(Object.fromEntries(authUrl.searchParams)).toMatchObject({
      client_id: registered.client_id, redirect_uri: INSPECTOR_REDIRECT, response_type: 'code',
      code_challenge_method: 'S256', scope: challengeScope, resource, state: provider.expectedState,
    });

    // The user logs in as alice; anonymous DCR clients need consent (realm policy).
    const trace = await completeLogin(new Browser(), authUrl, { username: 'alice', password: kc.credentials.users.alice });
    expect(trace).toMatchObject({ loggedIn: true, consented: true });
    expect(`${trace.callback.origin}${trace.callback.pathname}`).toBe(INSPECTOR_REDIRECT);
    expect(trace.callback.searchParams.get('state')).toBe(provider.expectedState);
    await transport.finishAuth(trace.callback.searchParams.get('code')!);
    expect(sdk.requests.at(-1)).toMatchObject({ method: 'POST', url: `${kc.issuer}/protocol/openid-connect/token`, status: 200, grant: 'authorization_code' });

    const authed = new Client({ name: 'mcp-inspector', version: '0.0.0-test' });
    await authed.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider, fetch: recordingFetch }));
    try {
      const names = (await authed.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['get_time', 'whoami']));
      const who = await authed.callTool({ name: 'whoami', arguments: {} });
      const access = provider.tokens()!.access_token;
      expect(who.structuredContent).toMatchObject({ subject: decodeJwt(access).sub, clientId: registered.client_id });
      expect(audOf(access)).toContain(resource);
    } finally {
      await authed.close();
    }
  });

  it('refresh: the SDK client refreshes a token the server no longer accepts; Keycloak rotates the refresh token', async () => {
    const provider = sdk.provider;
    if (!provider?.tokens()?.refresh_token) throw new Error('needs the DCR test to have logged in');
    const before = provider.tokens()!;
    // The access token stops working (as when it expires): the next call gets a 401 ...
    provider.replaceAccessToken(`${before.access_token.slice(0, -8)}AAAAAAAA`);
    const client = new Client({ name: 'mcp-inspector', version: '0.0.0-test' });
    sdk.requests.length = 0;
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider, fetch: recordingFetch }));
    try {
      // ... and the SDK answers it with a refresh_token grant, then retries.
      const who = await client.callTool({ name: 'whoami', arguments: {} });
      expect(sdk.requests.map((r) => r.status)).toContain(401);
      expect(sdk.requests).toContainEqual(expect.objectContaining({ url: `${kc.issuer}/protocol/openid-connect/token`, grant: 'refresh_token', status: 200 }));
      const after = provider.tokens()!;
      expect(after.access_token).not.toBe(before.access_token);
      expect(after.refresh_token).toBeTruthy();
      expect(after.refresh_token).not.toBe(before.refresh_token); // revokeRefreshToken: rotation
      expect(who.structuredContent).toMatchObject({ subject: decodeJwt(after.access_token).sub });
    } finally {
      await client.close();
    }
    // The rotated-out refresh token is dead. (Keycloak then also ends that client session as
    // a suspected token theft, which is why this comes last.)
    const clientId = (provider.clientInformation() as { client_id: string }).client_id;
    const reuse = await refresh(kc, clientId, before.refresh_token!);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
  });

  it('step-up: bob calls the admin tool → 403 naming mcp:admin → re-authorization with that scope → success once bob holds the role', async () => {
    const browser = new Browser();
    const first = await login(browser, 'bob', challengeScope);
    expect(mcpScopesOf(first.tokens.access_token)).toEqual([TOOLS]); // bob: mcp-tools role only

    const denied = await callTool(server.url, first.tokens.access_token, 'admin_reset_stats', { confirm: true });
    expect(denied.status).toBe(403);
    expect(challengeParam(denied.wwwAuthenticate, 'error')).toBe('insufficient_scope');
    const wanted = challengeParam(denied.wwwAuthenticate, 'scope') ?? '';
    expect(wanted.split(' ')).toEqual(expect.arrayContaining([ADMIN_SCOPE, TOOLS]));

    // Re-authorization with the challenge's scope (the SSO session skips the password). The AS
    // decides: bob lacks the mcp-admin role, so Keycloak leaves mcp:admin out and it stays 403.
    const again = await login(browser, 'bob', wanted);
    expect(again.trace.loggedIn).toBe(false);
    expect(scopesOf(again.tokens.access_token)).not.toContain(ADMIN_SCOPE);
    expect((await callTool(server.url, again.tokens.access_token, 'admin_reset_stats', { confirm: true })).status).toBe(403);

    // An administrator grants bob the role; the same re-authorization now yields mcp:admin.
    expect(realmFile.users.find((u) => u.username === 'admin')?.realmRoles).toContain(ADMIN_ROLE);
    await setRealmRole(kc, 'bob', ADMIN_ROLE, true);
    try {
      const stepped = await login(browser, 'bob', wanted);
      expect(scopesOf(stepped.tokens.access_token)).toEqual(expect.arrayContaining([ADMIN_SCOPE, TOOLS]));
      const ok = await callTool(server.url, stepped.tokens.access_token, 'admin_reset_stats', { confirm: true });
      expect(ok.status).toBe(200);
      expect(ok.body.result).toMatchObject({ structuredContent: { by: decodeJwt(stepped.tokens.access_token).sub } });
    } finally {
      await setRealmRole(kc, 'bob', ADMIN_ROLE, false);
    }
  });

  it('step-up with a dynamically registered client (as MCP Inspector registers, with the challenge scope): admin gets mcp:admin, alice is refused', async () => {
    const reg = await fetch(`${kc.issuer}/clients-registrations/openid-connect`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'MCP Inspector', redirect_uris: [INSPECTOR_REDIRECT], token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: `${challengeScope} offline_access`,
      }),
    });
    expect(reg.status).toBe(201);
    const clientId = String(((await reg.json()) as { client_id: string }).client_id);

    // admin signs in with the challenge scope only: the admin tool is listed but refused (403).
    const browser = new Browser();
    const first = await login(browser, 'admin', challengeScope, clientId);
    expect(scopesOf(first.tokens.access_token)).not.toContain(ADMIN_SCOPE);
    const denied = await callTool(server.url, first.tokens.access_token, 'admin_reset_stats', { confirm: true });
    expect(denied.status).toBe(403);
    const wanted = challengeParam(denied.wwwAuthenticate, 'scope') ?? '';
    expect(wanted.split(' ')).toContain(ADMIN_SCOPE);

    // The step-up: the same registered client asks for mcp:admin. Before the realm's policy this
    // was invalid_scope at the authorization endpoint, for everybody.
    const stepped = await login(browser, 'admin', wanted, clientId);
    expect(scopesOf(stepped.tokens.access_token)).toEqual(expect.arrayContaining([ADMIN_SCOPE, TOOLS]));
    const ok = await callTool(server.url, stepped.tokens.access_token, 'admin_reset_stats', { confirm: true });
    expect(ok.status).toBe(200);
    expect(ok.body.result).toMatchObject({ structuredContent: { by: decodeJwt(stepped.tokens.access_token).sub } });

    // alice may ask, but she lacks the mcp-admin role: Keycloak leaves the scope out, still 403.
    const alice = await login(new Browser(), 'alice', wanted, clientId);
    expect(scopesOf(alice.tokens.access_token)).not.toContain(ADMIN_SCOPE);
    expect((await callTool(server.url, alice.tokens.access_token, 'admin_reset_stats', { confirm: true })).status).toBe(403);
  });

  it('audience mismatch: tokens from the same Keycloak issued for another audience get 401 invalid_token', async () => {
    const browser = new Browser();
    const { tokens } = await login(browser, 'alice', challengeScope);
    // 1. A token for the downstream-api client (RFC 8693 exchange by mcp-server): right issuer,
    //    right signature, wrong audience.
    const exchanged = await tokenEndpoint(kc, {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: tokens.access_token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: DOWNSTREAM,
    }, [SERVER_CLIENT, kc.credentials.serverClientSecret]);
    expect(exchanged.status).toBe(200);
    expect(audOf(exchanged.body.access_token)).toEqual([DOWNSTREAM]);
    // 2. A plain OpenID Connect login token for mcp-inspector, without any MCP scope.
    const { tokens: oidcOnly } = await login(browser, 'alice', 'openid profile');
    expect(audOf(oidcOnly.access_token)).not.toContain(resource);

    for (const token of [exchanged.body.access_token, oidcOnly.access_token]) {
      const res = await callTool(server.url, token, 'whoami');
      expect(res.status).toBe(401);
      expect(challengeParam(res.wwwAuthenticate, 'error')).toBe('invalid_token');
    }
    // Refused for the audience, not for anything else (the reason is only in the server's log).
    // Log lines are batched into one write per event-loop turn: they may follow the response.
    expect(await logged(server, /"reason":"claim aud:/)).toMatch(/"reason":"claim aud:/);
  });

  it('token exchange: the server exchanges the caller\'s token for one addressed to downstream-api (RFC 8693)', async () => {
    const { tokens } = await login(new Browser(), 'alice', challengeScope);
    // The same wiring main.ts builds from the same environment, in-process (no shipped tool
    // calls ctx.exchangeToken, so the exchange is driven directly).
    const config = loadConfig({ ...serverEnv(), PORT: String(port), NODE_ENV: 'test' });
    const auth = authFromConfig(config, { resource, issuers: [kc.issuer], declaredScopes: [] }, createLogger({ level: 'silent' }));
    const principal = await auth.verifier.verify(`Bearer ${tokens.access_token}`);
    expect(auth.exchangeToken).toBeDefined();
    const downstream = await auth.exchangeToken!(principal, { audience: DOWNSTREAM });

    const { payload } = await jwtVerify(downstream.accessToken, createRemoteJWKSet(new URL(`${kc.issuer}/protocol/openid-connect/certs`)), { issuer: kc.issuer, audience: DOWNSTREAM });
    expect(payload).toMatchObject({ sub: principal.subject, azp: SERVER_CLIENT, aud: DOWNSTREAM });
    expect(downstream.tokenType).toBe('Bearer');
    expect(downstream.accessToken).not.toBe(tokens.access_token);
    // Reused from the exchanger's cache for the same caller token and audience.
    expect((await auth.exchangeToken!(principal, { audience: DOWNSTREAM })).accessToken).toBe(downstream.accessToken);
    // And the downstream token is useless against the MCP server itself.
    expect((await callTool(server.url, downstream.accessToken, 'whoami')).status).toBe(401);
  });

  it('introspection mode: a session logged out at Keycloak → 401 once the positive cache entry expires', async () => {
    const ttlMs = 1500;
    const introspecting = await startMcpServer(await freePort(), serverEnv({ MCP_TOKEN_MODE: 'introspection', MCP_INTROSPECTION_CACHE_TTL_MS: String(ttlMs) }));
    try {
      const { tokens } = await login(new Browser(), 'alice', challengeScope);
      expect((await callTool(introspecting.url, tokens.access_token, 'whoami')).status).toBe(200);
      expect((await callTool(server.url, tokens.access_token, 'whoami')).status).toBe(200);

      await logoutUser(kc, 'alice'); // Keycloak admin: sign out all of alice's sessions
      await sleep(ttlMs + 500);
      const after = await callTool(introspecting.url, tokens.access_token, 'whoami');
      expect(after.status).toBe(401);
      expect(challengeParam(after.wwwAuthenticate, 'error')).toBe('invalid_token');
      // Log lines are batched into one write per event-loop turn: they may follow the response.
    expect(await logged(introspecting, /"reason":"inactive"/)).toMatch(/"reason":"inactive"/);
      // For contrast: a JWT-mode server cannot know about the logout and accepts the
      // self-contained token until it expires (5 min in this realm). That is the trade-off
      // MCP_TOKEN_MODE=introspection exists for.
      expect((await callTool(server.url, tokens.access_token, 'whoami')).status).toBe(200);
    } finally {
      await introspecting.stop();
    }
  });

  it('realm key rotation while the server runs: new tokens (new kid) and tokens signed before are accepted', async () => {
    const before = (await clientCredentials(kc)).access_token; // signed with the current key, not yet seen by the server
    const oldKid = kidOf(before);
    expect(oldKid).toBe(await activeRs256Kid(kc));

    await rotateRealmKey(kc, 1000); // the realm's generated keys have priority 100
    const after = (await clientCredentials(kc)).access_token;
    expect(kidOf(after)).not.toBe(oldKid);
    expect(kidOf(after)).toBe(await activeRs256Kid(kc));

    await sleep(1100); // past MCP_JWKS_COOLDOWN_MS, so the unknown kid may trigger a JWKS refresh
    expect((await callTool(server.url, after, 'whoami')).status).toBe(200);
    // The old key stays published (passive), so tokens already in flight keep working.
    expect((await callTool(server.url, before, 'whoami')).status).toBe(200);
    expect((await server.readyz()).body).toMatchObject({ status: 'ready', auth: 'ready' });
  });

  it('Keycloak stopped mid-run: cached keys keep serving and /readyz degrades; after a restart it recovers', async () => {
    // A server that refreshes its JWKS whenever the keys are older than 2 s, so it notices
    // the outage on the next request instead of after the default 10 min.
    const resilient = await startMcpServer(await freePort(), serverEnv({ MCP_JWKS_MAX_AGE_MS: '2000' }));
    try {
      const [t1, t2, t3] = [(await clientCredentials(kc)).access_token, (await clientCredentials(kc)).access_token, (await clientCredentials(kc)).access_token];
      expect((await callTool(resilient.url, t1, 'whoami')).status).toBe(200);
      expect((await resilient.readyz()).body).toMatchObject({ status: 'ready', auth: 'ready' });

      const { issuer, credentials } = kc;
      const kcPort = Number(new URL(kc.baseUrl).port);
      await kc.stop();
      await sleep(2500); // the cached keys are now "old": the next token triggers a refresh, which fails

      // t2 was never seen by the server: it is verified with the cached keys (stale-if-error).
      expect((await callTool(resilient.url, t2!, 'whoami')).status).toBe(200);
      const degraded = await resilient.readyz();
      // Degraded still serves, so /readyz stays 200 (keep the pod in rotation) but says so.
      expect(degraded.status).toBe(200);
      expect(degraded.body).toMatchObject({ status: 'ready', auth: 'degraded' });

      // The same Keycloak comes back: same port (so the same issuer) and secrets, but its
      // in-memory database is new, so it signs with freshly generated keys.
      kc = await startKeycloak({ port: kcPort, credentials, resourceUri: resource });
      expect(kc.issuer).toBe(issuer);

      // "Recovers" means: the next token with the new kid makes the server refetch the JWKS
      // (nothing polls in the background, so /readyz reports degraded until that request),
      // the fetch succeeds, the new token is accepted and /readyz is back to ready.
      const fresh = (await clientCredentials(kc)).access_token;
      expect(kidOf(fresh)).not.toBe(kidOf(t1!));
      expect((await callTool(resilient.url, fresh, 'whoami')).status).toBe(200);
      expect((await resilient.readyz()).body).toMatchObject({ status: 'ready', auth: 'ready' });
      // A token signed by the lost key and never seen before is now refused: the restarted
      // Keycloak no longer publishes that key. (Tokens the server already verified stay in its
      // verified-token cache until they expire; that is not asserted here.)
      const stale = await callTool(resilient.url, t3!, 'whoami');
      expect(stale.status).toBe(401);
      expect(challengeParam(stale.wwwAuthenticate, 'error')).toBe('invalid_token');
    } finally {
      await resilient.stop();
    }
  }, 360_000);
});

/** The process output once it matches `re` (log lines reach stderr a turn after the response), or after 3 s. */
async function logged(p: { output(): string }, re: RegExp): Promise<string> {
  for (let i = 0; i < 60 && !re.test(p.output()); i++) await new Promise((r) => setTimeout(r, 50));
  return p.output();
}
