import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DevAuthServer } from '../../src/dev-auth/index.js';
import { ENV, RESOURCE, authorize, basic, postForm, redeemCode, startDevAuth, verifyAccessToken } from './flow.js';

let s: DevAuthServer;
let aliceToken: string;
beforeAll(async () => {
  s = await startDevAuth();
  const { callback, verifier } = await authorize(s.issuer, {
    clientId: 'mcp-inspector', scope: 'mcp:tools mcp:prompts', resource: RESOURCE, username: 'alice', password: ENV.MCP_DEMO_ALICE_PASSWORD,
  });
  aliceToken = String((await redeemCode(s.issuer, 'mcp-inspector', callback, verifier)).json.access_token);
});
afterAll(async () => { await s.close(); });

const server = basic('mcp-server', ENV.MCP_SERVER_CLIENT_SECRET);
const TE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';

describe('introspection (RFC 7662) by mcp-server', () => {
  it('reports a JWT access token active with username, scope and aud', async () => {
    const r = await postForm(`${s.issuer}/token/introspection`, { token: aliceToken }, { authorization: server });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ active: true, username: 'alice', sub: 'alice', aud: RESOURCE, client_id: 'mcp-inspector', iss: s.issuer });
    expect(String(r.json.scope).split(' ').sort()).toEqual(['mcp:prompts', 'mcp:tools']);
  });

  it('reports garbage and tampered tokens inactive, and needs client authentication', async () => {
    const tampered = aliceToken.slice(0, -4) + (aliceToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const token of ['not-a-token', tampered]) {
      const r = await postForm(`${s.issuer}/token/introspection`, { token }, { authorization: server });
      expect(r.json).toEqual({ active: false });
    }
    const anon = await postForm(`${s.issuer}/token/introspection`, { token: aliceToken });
    expect(anon.status).toBe(400); // no client authentication at all
  });
});

describe('token exchange (RFC 8693)', () => {
  it('mcp-server trades alice\'s token for a downstream-api token with the same subject', async () => {
    const r = await postForm(`${s.issuer}/token`, {
      grant_type: TE, subject_token: aliceToken, subject_token_type: AT, requested_token_type: AT, audience: 'downstream-api',
    }, { authorization: server });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ issued_token_type: AT, token_type: 'Bearer', expires_in: 300 });
    expect(r.json.refresh_token).toBeUndefined();
    const at = await verifyAccessToken(s.issuer, String(r.json.access_token));
    expect(at).toMatchObject({ aud: 'downstream-api', azp: 'mcp-server', client_id: 'mcp-server', sub: 'alice', act: { sub: 'mcp-server' } });
  });

  it('only down-scopes', async () => {
    const r = await postForm(`${s.issuer}/token`, {
      grant_type: TE, subject_token: aliceToken, subject_token_type: AT, audience: 'downstream-api', scope: 'mcp:tools mcp:admin',
    }, { authorization: server });
    expect(r.json.scope).toBe('mcp:tools');
  });

  it('refuses other clients, unknown audiences and invalid subject tokens', async () => {
    const m2m = await postForm(`${s.issuer}/token`, { grant_type: TE, subject_token: aliceToken, subject_token_type: AT, audience: 'downstream-api' },
      { authorization: basic('mcp-m2m', ENV.MCP_M2M_CLIENT_SECRET) });
    expect(m2m.json.error).toBe('unauthorized_client');
    const target = await postForm(`${s.issuer}/token`, { grant_type: TE, subject_token: aliceToken, subject_token_type: AT, audience: 'billing' },
      { authorization: server });
    expect(target.json.error).toBe('invalid_target');
    const bogus = await postForm(`${s.issuer}/token`, { grant_type: TE, subject_token: 'x.y.z', subject_token_type: AT, audience: 'downstream-api' },
      { authorization: server });
    expect(bogus.json.error).toBe('invalid_request');
  });
});
