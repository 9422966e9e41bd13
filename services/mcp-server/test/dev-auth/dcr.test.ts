import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DevAuthServer } from '../../src/dev-auth/index.js';
import { ENV, RESOURCE, authorize, browser, redeemCode, startDevAuth, verifyAccessToken } from './flow.js';

let s: DevAuthServer;
beforeAll(async () => { s = await startDevAuth(); });
afterAll(async () => { await s.close(); });

const register = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const res = await fetch(`${s.issuer}/reg`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
};

describe('anonymous Dynamic Client Registration (RFC 7591)', () => {
  it('registers an Inspector/SDK-style public client, strips non-code grants, answers CORS', async () => {
    const r = await register({
      redirect_uris: ['http://localhost:6274/oauth/callback'], token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', 'implicit'], response_types: ['code'],
      client_name: 'MCP Inspector', scope: 'mcp:tools mcp:prompts offline_access',
    }, { origin: 'http://localhost:6274' });
    expect(r.status).toBe(201);
    expect(typeof r.json.client_id).toBe('string');
    expect(r.json.client_secret).toBeUndefined();
    expect(r.json.grant_types).toEqual(['authorization_code', 'refresh_token']);
    // Every allowed MCP scope, not just the ones registered with: a later step-up may need any.
    expect(r.json.mcp_scopes).toBe('mcp:tools mcp:prompts mcp:resources mcp:admin mcp:private');
    expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
  });

  it('refuses scopes outside the MCP set (e.g. downstream-api)', async () => {
    const r = await register({ redirect_uris: ['http://localhost:6274/oauth/callback'], token_endpoint_auth_method: 'none', scope: 'mcp:tools downstream-api' });
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_client_metadata');
  });

  it('a registered client must use PKCE, sees the consent page, and gets only what the user may have', async () => {
    const redirectUri = 'http://127.0.0.1:40000/cb';
    const reg = await register({ redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' });
    expect(reg.status).toBe(201);
    expect(reg.json.application_type).toBe('native'); // loopback-only redirects
    const clientId = String(reg.json.client_id);

    const noPkce = await fetch(`${s.issuer}/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'mcp:tools' })}`, { redirect: 'manual' });
    expect(new URL(noPkce.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');

    // Any port on loopback (RFC 8252 §7.3), consent page walked by the driver.
    const otherPort = 'http://127.0.0.1:40001/cb';
    const { callback, verifier } = await authorize(s.issuer, {
      clientId, redirectUri: otherPort, scope: 'mcp:tools mcp:admin', resource: RESOURCE, username: 'alice', password: ENV.MCP_DEMO_ALICE_PASSWORD,
    });
    const r = await redeemCode(s.issuer, clientId, callback, verifier, otherPort);
    expect(r.status).toBe(200);
    const at = await verifyAccessToken(s.issuer, String(r.json.access_token));
    expect(at).toMatchObject({ aud: RESOURCE, sub: 'alice', client_id: clientId, scope: 'mcp:tools' });
  });

  it('shows a consent page (Allow/Deny) for registered clients; Deny returns access_denied', async () => {
    const redirectUri = 'http://localhost:6274/oauth/callback';
    const reg = await register({ redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', client_name: 'MCP Inspector <dev>' });
    const clientId = String(reg.json.client_id);
    // Drive by hand: login, then deny at the consent page.
    const go = browser();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    let res = await go(`${s.issuer}/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'mcp:tools', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`);
    const interaction = new URL(res.headers.get('location')!, s.issuer).href;
    // Both pages name the client by its registered client_name (escaped), the id shown beside it.
    const login = await (await go(interaction)).text();
    expect(login).toContain('to continue to <b>MCP Inspector &lt;dev&gt;</b>');
    expect(login).toContain(`Client id <code>${clientId}</code> (self-registered`);
    res = await go(`${interaction}/login`, { method: 'POST', headers: form, body: new URLSearchParams({ username: 'alice', password: ENV.MCP_DEMO_ALICE_PASSWORD }) });
    res = await go(new URL(res.headers.get('location')!, s.issuer).href);
    res = await go(new URL(res.headers.get('location')!, s.issuer).href);
    const html = await res.text();
    expect(html).toContain('<h1>Authorize MCP Inspector &lt;dev&gt;?</h1>');
    expect(html).not.toContain(`<h1>Authorize ${clientId}`);
    const abort = /action="([^"]+\/abort)"/.exec(html)![1]!;
    res = await go(new URL(abort, s.issuer).href, { method: 'POST' });
    res = await go(new URL(res.headers.get('location')!, s.issuer).href);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });
});
