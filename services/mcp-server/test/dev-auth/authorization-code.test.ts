import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DevAuthServer } from '../../src/dev-auth/index.js';
import { ENV, RESOURCE, authorize, postForm, redeemCode, startDevAuth, verifyAccessToken } from './flow.js';

let s: DevAuthServer;
beforeAll(async () => { s = await startDevAuth(); });
afterAll(async () => { await s.close(); });

const ALL = 'openid offline_access mcp:tools mcp:prompts mcp:resources mcp:admin mcp:private';

describe('authorization code + PKCE through the login form', () => {
  it('alice gets tools+prompts only, even when asking for admin; aud is the resource', async () => {
    const { callback, verifier } = await authorize(s.issuer, {
      clientId: 'mcp-inspector', scope: ALL, resource: RESOURCE, username: 'alice', password: ENV.MCP_DEMO_ALICE_PASSWORD,
    });
    expect(callback.searchParams.get('state')).toBe('st4te');
    expect(callback.searchParams.get('iss')).toBe(s.issuer); // RFC 9207
    const r = await redeemCode(s.issuer, 'mcp-inspector', callback, verifier, undefined, RESOURCE);
    expect(r.status).toBe(200);
    expect(String(r.json.scope).split(' ').sort()).toEqual(['mcp:prompts', 'mcp:tools']);
    const at = await verifyAccessToken(s.issuer, String(r.json.access_token));
    expect(at).toMatchObject({ aud: RESOURCE, sub: 'alice', client_id: 'mcp-inspector', preferred_username: 'alice' });
    expect(String(at.scope).split(' ').sort()).toEqual(['mcp:prompts', 'mcp:tools']);
    expect(typeof r.json.id_token).toBe('string');
    expect(typeof r.json.refresh_token).toBe('string');
  });

  it('without a resource parameter the token is still for the MCP resource', async () => {
    const { callback, verifier } = await authorize(s.issuer, {
      clientId: 'mcp-inspector', scope: 'mcp:tools', username: 'bob', password: ENV.MCP_DEMO_BOB_PASSWORD,
    });
    const r = await redeemCode(s.issuer, 'mcp-inspector', callback, verifier);
    const at = await verifyAccessToken(s.issuer, String(r.json.access_token));
    expect(at).toMatchObject({ aud: RESOURCE, sub: 'bob', scope: 'mcp:tools' });
  });

  it('bob asking for prompts gets tools only', async () => {
    const { callback, verifier } = await authorize(s.issuer, {
      clientId: 'mcp-inspector', scope: 'mcp:tools mcp:prompts', resource: RESOURCE, username: 'bob', password: ENV.MCP_DEMO_BOB_PASSWORD,
    });
    const r = await redeemCode(s.issuer, 'mcp-inspector', callback, verifier);
    expect(r.json.scope).toBe('mcp:tools');
  });

  it('admin gets every MCP scope', async () => {
    const { callback, verifier } = await authorize(s.issuer, {
      clientId: 'mcp-inspector', scope: ALL, resource: RESOURCE, username: 'admin', password: ENV.MCP_DEMO_ADMIN_PASSWORD,
    });
    const r = await redeemCode(s.issuer, 'mcp-inspector', callback, verifier);
    expect(String(r.json.scope).split(' ').sort()).toEqual(['mcp:admin', 'mcp:private', 'mcp:prompts', 'mcp:resources', 'mcp:tools']);
  });

  it('accepts a loopback redirect URI on any port (RFC 8252 §7.3)', async () => {
    const redirectUri = 'http://127.0.0.1:54321/oauth/callback';
    const { callback, verifier } = await authorize(s.issuer, {
      clientId: 'mcp-inspector', redirectUri, scope: 'mcp:tools', username: 'alice', password: ENV.MCP_DEMO_ALICE_PASSWORD,
    });
    expect(callback.origin).toBe('http://127.0.0.1:54321');
    const r = await redeemCode(s.issuer, 'mcp-inspector', callback, verifier, redirectUri);
    expect(r.status).toBe(200);
  });

  it('rejects an unregistered redirect path and a missing PKCE challenge', async () => {
    const bad = await fetch(`${s.issuer}/auth?${new URLSearchParams({ client_id: 'mcp-inspector', response_type: 'code',
      redirect_uri: 'http://127.0.0.1:5555/evil', scope: 'mcp:tools', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`,
    { redirect: 'manual' });
    expect(bad.status).toBe(400);
    const noPkce = await fetch(`${s.issuer}/auth?${new URLSearchParams({ client_id: 'mcp-inspector', response_type: 'code',
      redirect_uri: 'http://localhost:6274/oauth/callback', scope: 'mcp:tools' })}`, { redirect: 'manual' });
    const location = new URL(noPkce.headers.get('location') ?? 'http://x/');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a wrong password with the login form again', async () => {
    await expect(authorize(s.issuer, {
      clientId: 'mcp-inspector', scope: 'mcp:tools', username: 'alice', password: 'wrong',
    })).rejects.toThrow('login failed');
  });

  it('refresh rotates the refresh token and keeps the audience; the old one is then dead', async () => {
    const { callback, verifier } = await authorize(s.issuer, {
      clientId: 'mcp-inspector', scope: 'mcp:tools mcp:prompts', resource: RESOURCE, username: 'alice', password: ENV.MCP_DEMO_ALICE_PASSWORD,
    });
    const first = await redeemCode(s.issuer, 'mcp-inspector', callback, verifier);
    const rt = String(first.json.refresh_token);
    const r = await postForm(`${s.issuer}/token`, { grant_type: 'refresh_token', client_id: 'mcp-inspector', refresh_token: rt });
    expect(r.status).toBe(200);
    expect(r.json.refresh_token).not.toBe(rt);
    const at = await verifyAccessToken(s.issuer, String(r.json.access_token));
    expect(at).toMatchObject({ aud: RESOURCE, sub: 'alice' });
    expect(String(at.scope).split(' ').sort()).toEqual(['mcp:prompts', 'mcp:tools']);
    const again = await postForm(`${s.issuer}/token`, { grant_type: 'refresh_token', client_id: 'mcp-inspector', refresh_token: rt });
    expect(again.json.error).toBe('invalid_grant');
  });
});
