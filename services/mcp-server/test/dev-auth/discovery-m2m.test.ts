import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import type { DevAuthServer } from '../../src/dev-auth/index.js';
import { ENV, RESOURCE, basic, postForm, startDevAuth, verifyAccessToken } from './flow.js';

let s: DevAuthServer;
beforeAll(async () => { s = await startDevAuth(); });
afterAll(async () => { await s.close(); });

const m2m = basic('mcp-m2m', ENV.MCP_M2M_CLIENT_SECRET);

describe('discovery', () => {
  it.each(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'])('serves %s', async (path) => {
    const res = await fetch(`${s.issuer}${path}`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: s.issuer,
      token_endpoint: `${s.issuer}/token`,
      authorization_endpoint: `${s.issuer}/auth`,
      registration_endpoint: `${s.issuer}/reg`,
      introspection_endpoint: `${s.issuer}/token/introspection`,
      revocation_endpoint: `${s.issuer}/token/revocation`,
      jwks_uri: `${s.issuer}/jwks`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
    expect(d.grant_types_supported).toEqual(expect.arrayContaining([
      'authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']));
    expect(d.grant_types_supported).not.toContain('implicit');
  });

  it('issuer is loopback http on the bound port', () => {
    expect(s.issuer).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.credentials.clientSecrets['mcp-m2m']).toBe(ENV.MCP_M2M_CLIENT_SECRET);
  });
});

describe('client_credentials (mcp-m2m)', () => {
  it('yields an RS256 at+jwt for the resource with the service account scopes', async () => {
    const r = await postForm(`${s.issuer}/token`, { grant_type: 'client_credentials', scope: 'mcp:tools mcp:prompts mcp:resources', resource: RESOURCE }, { authorization: m2m });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    const token = String(r.json.access_token);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const at = await verifyAccessToken(s.issuer, token);
    expect(at).toMatchObject({ aud: RESOURCE, client_id: 'mcp-m2m', sub: 'mcp-m2m', scope: 'mcp:tools mcp:prompts mcp:resources' });
    expect(typeof at.jti).toBe('string');
  });

  it('defaults the audience to the resource and drops scopes the service account lacks (mcp:admin)', async () => {
    const r = await postForm(`${s.issuer}/token`, { grant_type: 'client_credentials', scope: 'mcp:tools mcp:admin' }, { authorization: m2m });
    expect(r.status).toBe(200);
    expect(r.json.scope).toBe('mcp:tools');
    const at = await verifyAccessToken(s.issuer, String(r.json.access_token));
    expect(at.aud).toBe(RESOURCE);
    expect(at.scope).toBe('mcp:tools');
  });

  it('refuses a foreign resource, a wrong secret, and clients without the grant', async () => {
    const foreign = await postForm(`${s.issuer}/token`, { grant_type: 'client_credentials', scope: 'mcp:tools', resource: 'https://elsewhere.example/api' }, { authorization: m2m });
    expect(foreign.json.error).toBe('invalid_target');
    const wrong = await postForm(`${s.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic('mcp-m2m', 'nope') });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const server = await postForm(`${s.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic('mcp-server', ENV.MCP_SERVER_CLIENT_SECRET) });
    expect(server.json.error).toBe('unauthorized_client');
  });
});
