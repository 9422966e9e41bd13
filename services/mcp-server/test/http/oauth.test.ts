/**
 * The OAuth 2.1 resource server over HTTP, as main.ts wires it (loadConfig → authFromConfig →
 * startHttp), against a loopback authorization server publishing a locally generated RS256
 * key. Every challenge is compared as an exact string (RFC 6750 §3, RFC 9728 §5.1, MCP
 * authorization 2025-11-25 / 2026-07-28).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { base64url, exportSPKI, SignJWT } from 'jose';
import request from 'supertest';
import { legacyHeaders, modernBody, modernHeaders } from '../helpers/http.js';
import { makeKey, signToken } from '../auth/support/fake-as.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

let h: Harness;
let rmu: string;
beforeAll(async () => {
  h = await startOAuthServer();
  rmu = `${h.origin}/.well-known/oauth-protected-resource/mcp`;
});
afterAll(async () => { await h?.close(); });

const CHALLENGE_SCOPE = 'mcp:tools mcp:prompts mcp:resources';
const challenge401 = () => `Bearer resource_metadata="${rmu}", scope="${CHALLENGE_SCOPE}"`;
const invalidToken = () => `Bearer resource_metadata="${rmu}", error="invalid_token", error_description="The access token is invalid", scope="${CHALLENGE_SCOPE}"`;
const invalidRequest = () => `Bearer resource_metadata="${rmu}", error="invalid_request", error_description="The request is malformed", scope="${CHALLENGE_SCOPE}"`;
const insufficient = (scope: string) => `Bearer resource_metadata="${rmu}", error="insufficient_scope", error_description="The access token lacks the required scope", scope="${scope}"`;
const INVALID_TOKEN_BODY = { error: 'invalid_token', error_description: 'The access token is invalid' };
const INSUFFICIENT_BODY = { error: 'insufficient_scope', error_description: 'The access token lacks the required scope' };

/** A 2026-07-28 tools/call with its Mcp-Method/Mcp-Name headers. */
function modernCall(tool: string, args: Record<string, unknown>, authorization?: string, path = '/mcp') {
  let r = request(h.origin).post(path);
  for (const [k, v] of Object.entries(modernHeaders('tools/call', tool))) r = r.set(k, v);
  if (authorization !== undefined) r = r.set('authorization', authorization);
  return r.send(JSON.stringify(modernBody('tools/call', { name: tool, arguments: args })));
}

/** A 2025-11-25 (stateless) tools/call. */
function legacyCall(tool: string, args: Record<string, unknown>, authorization: string) {
  let r = request(h.origin).post('/mcp');
  for (const [k, v] of Object.entries(legacyHeaders())) r = r.set(k, v);
  return r.set('authorization', authorization)
    .send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: tool, arguments: args } }));
}

const bearer = (t: string) => `Bearer ${t}`;
const audits = () => h.logs().filter((l) => l.message === 'audit');

describe('401 challenges', () => {
  it('without credentials: 401, resource_metadata and the everyday scopes, no error code (RFC 6750 §3.1)', async () => {
    const r = await modernCall('get_weather', { location: 'Oslo' });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(challenge401());
    expect(r.headers['www-authenticate']).not.toMatch(/error=/);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
  });

  it('treats another auth scheme and an empty header as no credentials', async () => {
    for (const auth of ['Basic YWxpY2U6cHc=', '']) {
      const r = await modernCall('get_weather', { location: 'Oslo' }, auth);
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe(challenge401());
    }
  });

  it('a garbage token: 401 error="invalid_token"', async () => {
    const r = await modernCall('get_weather', { location: 'Oslo' }, 'Bearer not-a-jwt');
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(invalidToken());
    expect(r.body).toEqual(INVALID_TOKEN_BODY);
  });

  it('an expired token: the same invalid_token challenge', async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await modernCall('get_weather', { location: 'Oslo' }, bearer(await h.token('alice', { iat: now - 7200, exp: now - 3600 })));
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(invalidToken());
    expect(r.body).toEqual(INVALID_TOKEN_BODY);
  });

  it('every forged or mis-addressed token gets exactly the invalid_token challenge', async () => {
    const now = Math.floor(Date.now() / 1000);
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const hmac = async (secret: string) => new SignJWT(h.claims('alice'))
      .setProtectedHeader({ alg: 'HS256', kid: h.key.kid, typ: 'at+jwt' }).sign(new TextEncoder().encode(secret));
    const stranger = await makeKey('test-key-1'); // same kid, different key
    const cases: Record<string, string> = {
      'alg none': `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc(h.claims('alice'))}.`,
      'HS256 with the public key (PEM) as secret': await hmac(await exportSPKI(h.key.publicKey)),
      'HS256 with the public JWK as secret': await hmac(JSON.stringify(h.key.jwk)),
      'unknown kid': await h.token('alice', {}, { kid: 'no-such-key' }),
      'signed by another key under our kid': await signToken(stranger, h.claims('alice')),
      'not yet valid (nbf)': await h.token('alice', { nbf: now + 3600 }),
      'issued in the future (iat)': await h.token('alice', { iat: now + 3600, exp: now + 7200 }),
      'wrong iss': await h.token('alice', { iss: 'http://127.0.0.1:1/other' }),
      'wrong aud': await h.token('alice', { aud: 'http://127.0.0.1:1/mcp' }),
      'no exp': await h.token('alice', { exp: undefined }),
      'no sub': await h.token('alice', { sub: undefined }),
      'an ID token': await h.token('alice', { typ: 'ID' }),
      'tampered payload': (await h.token('alice')).replace(/\.[^.]+\./, `.${enc(h.claims('admin', { scope: 'mcp:admin' }))}.`),
      oversized: `${'a'.repeat(9000)}`,
      'not a b64token': 'abc$def',
    };
    for (const [name, token] of Object.entries(cases)) {
      const r = await modernCall('get_weather', { location: 'Oslo' }, bearer(token));
      expect({ name, status: r.status, challenge: r.headers['www-authenticate'], body: r.body })
        .toEqual({ name, status: 401, challenge: invalidToken(), body: INVALID_TOKEN_BODY });
    }
  });

  it('a malformed Authorization header: 400 error="invalid_request"', async () => {
    for (const auth of ['Bearer', 'Bearer a b', 'Bearer\u00e9 x']) {
      const r = await request(h.origin).post('/mcp').set('content-type', 'application/json').set('authorization', auth).send('{}');
      expect({ auth, status: r.status, challenge: r.headers['www-authenticate'] }).toEqual({ auth, status: 400, challenge: invalidRequest() });
      expect(r.body).toEqual({ error: 'invalid_request', error_description: 'The request is malformed' });
    }
  });

  it('a token in the query string: 400 invalid_request, even next to a valid header (RFC 6750 §2.3)', async () => {
    const token = await h.token('alice');
    const r = await modernCall('get_weather', { location: 'Oslo' }, bearer(token), `/mcp?access_token=${token}`);
    expect(r.status).toBe(400);
    expect(r.headers['www-authenticate']).toBe(invalidRequest());
    expect(r.body).toEqual({ error: 'invalid_request', error_description: 'The request is malformed' });
    const alone = await modernCall('get_weather', { location: 'Oslo' }, undefined, `/mcp?x=1&access_token=${token}`);
    expect(alone.status).toBe(400);
    expect(alone.headers['www-authenticate']).toBe(invalidRequest());
    // The token that reached the URL never reaches a log line (paths are logged without query).
    expect(h.logText()).not.toContain(token.split('.')[2]);
  });
});

describe('accepted tokens', () => {
  it('serves a valid token: 200, the principal is the token subject', async () => {
    const r = await modernCall('whoami', {}, bearer(await h.token('alice', { scope: 'mcp:tools mcp:prompts' })));
    expect(r.status).toBe(200);
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(r.body.result.structuredContent).toMatchObject({ subject: 'alice', clientId: 'alice-client', scopes: ['mcp:tools', 'mcp:prompts'] });
    // Handlers never see the credential.
    expect(r.body.result.structuredContent.headers.authorization).toBeUndefined();
  });

  it('accepts a token without scope for unscoped tools, and step-up asks for the tool scope', async () => {
    const t = bearer(await h.token('carol', { scope: undefined }));
    expect((await modernCall('whoami', {}, t)).status).toBe(200);
    const r = await modernCall('get_weather', { location: 'Oslo' }, t);
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toBe(insufficient('mcp:tools'));
  });
});

describe('403 insufficient_scope (step-up)', () => {
  it('2026-07-28: decided from Mcp-Method/Mcp-Name before dispatch, naming the held scopes plus the one needed', async () => {
    const before = audits().length;
    const r = await modernCall('admin_reset_stats', {}, bearer(await h.token('bob', { scope: 'mcp:tools' })));
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toBe(insufficient('mcp:tools mcp:admin'));
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual(INSUFFICIENT_BODY);
    // Never dispatched: the engine audits every tools/call it sees, and saw none.
    await new Promise((res) => setTimeout(res, 20));
    expect(audits().slice(before)).toEqual([]);
  });

  it('2025-11-25: the engine decides (audited as denied) and the HTTP layer turns it into the same 403', async () => {
    const before = audits().length;
    const r = await legacyCall('admin_reset_stats', {}, bearer(await h.token('bob', { scope: 'mcp:tools' })));
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toBe(insufficient('mcp:tools mcp:admin'));
    expect(r.body).toEqual(INSUFFICIENT_BODY);
    expect(audits().slice(before)).toEqual([expect.objectContaining({ method: 'tools/call', name: 'admin_reset_stats', subject: 'bob', clientId: 'bob-client', outcome: 'denied' })]);
  });

  it('the step-up token succeeds on both eras', async () => {
    const t = bearer(await h.token('admin', { scope: 'mcp:tools mcp:admin' }));
    const modern = await modernCall('admin_reset_stats', { confirm: true }, t);
    expect(modern.status).toBe(200);
    expect(modern.body.result.structuredContent).toEqual({ cleared: expect.any(Number), by: 'admin' });
    const legacy = await legacyCall('admin_reset_stats', { confirm: true }, t);
    expect(legacy.status).toBe(200);
    expect(legacy.body.result.structuredContent).toEqual({ cleared: expect.any(Number), by: 'admin' });
  });

  it('CR/LF and quotes in a reflected value (scopes from a signed token) are stripped and escaped', async () => {
    const t = bearer(await h.token('eve', { scope: 'mcp:tools\r\nSet-Cookie: evil=1 "quoted\\" x' }));
    const r = await modernCall('admin_reset_stats', {}, t);
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate'])
      .toBe(insufficient('mcp:toolsSet-Cookie: evil=1 \\"quoted\\\\\\" x mcp:admin'));
    expect(r.headers['set-cookie']).toBeUndefined();
  });
});

describe('request ids, headers, logs', () => {
  it('echoes a sane X-Request-Id and mints one for a missing or unsafe value', async () => {
    const echoed = await request(h.origin).get('/healthz').set('x-request-id', 'req-123.abc:9');
    expect(echoed.headers['x-request-id']).toBe('req-123.abc:9');
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect((await request(h.origin).get('/healthz')).headers['x-request-id']).toMatch(UUID);
    for (const bad of ['a"b', 'a b', 'x'.repeat(129), 'a,b;c=d']) {
      const r = await request(h.origin).post('/mcp').set('x-request-id', bad);
      expect(r.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('security headers on /mcp (200 and 401) and on errors; no-store everywhere but the metadata', async () => {
    const ok = await modernCall('get_time', {}, bearer(await h.token('alice')));
    const unauth = await modernCall('get_time', {});
    const missing = await request(h.origin).get('/nowhere');
    expect([ok.status, unauth.status, missing.status]).toEqual([200, 401, 404]);
    for (const r of [ok, unauth, missing]) {
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(r.headers['x-powered-by']).toBeUndefined();
      expect(r.headers['cache-control']).toBe('no-store');
    }
    expect(missing.body).toEqual({ error: 'not_found' });
  });

  it('access log and audit lines carry who, which client, which tool, the outcome and duration; never tokens or arguments', async () => {
    const token = await h.token('dave', { client_id: 'dave-app' });
    const secretArg = 'Secret-Location-7f3a9c';
    const r = await request(h.origin).post('/mcp').set(modernHeaders('tools/call', 'get_weather')).set('x-request-id', 'log-test-1')
      .set('authorization', bearer(token)).send(JSON.stringify(modernBody('tools/call', { name: 'get_weather', arguments: { location: secretArg } })));
    expect(r.status).toBe(200);
    const bad = await modernCall('get_weather', { location: secretArg }, bearer(`${token}x`));
    expect(bad.status).toBe(401);
    await new Promise((res) => setTimeout(res, 20));
    const lines = h.logs();
    expect(lines).toContainEqual(expect.objectContaining({
      message: 'audit', method: 'tools/call', name: 'get_weather', subject: 'dave', clientId: 'dave-app', outcome: 'ok', durationMs: expect.any(Number),
    }));
    expect(lines).toContainEqual(expect.objectContaining({
      message: 'request', requestId: 'log-test-1', method: 'POST', path: '/mcp', status: 200, durationMs: expect.any(Number),
    }));
    expect(lines).toContainEqual(expect.objectContaining({ message: 'authentication failed', level: 'warn', code: 'invalid_token', path: '/mcp' }));
    const text = h.logText();
    for (const part of token.split('.')) expect(text).not.toContain(part);
    expect(text).not.toContain(secretArg);
    expect(text).not.toMatch(/Bearer\s+[A-Za-z0-9._~+/-]{16,}/i);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});

describe('health probes', () => {
  it('/healthz is open and always ok', async () => {
    const r = await request(h.origin).get('/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });

  it('/readyz: 503 before the keys are loaded, ready after, degraded-but-ready once the JWKS host is gone', async () => {
    const cold = await startOAuthServer({ warm: false });
    try {
      const before = await request(cold.origin).get('/readyz');
      expect(before.status).toBe(503);
      expect(before.body).toEqual({ status: 'not_ready', auth: 'not_ready' });
      expect(before.headers['cache-control']).toBeUndefined();
      // The first authenticated request loads the keys.
      const first = await request(cold.origin).post('/mcp').set(modernHeaders('tools/call', 'get_time'))
        .set('authorization', bearer(await cold.token('alice'))).send(JSON.stringify(modernBody('tools/call', { name: 'get_time', arguments: {} })));
      expect(first.status).toBe(200);
      const ready = await request(cold.origin).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', auth: 'ready' });

      await cold.as.close(); // the authorization server (and its JWKS) disappears
      await cold.auth.verifier.warmUp(); // the next key refresh fails
      const degraded = await request(cold.origin).get('/readyz');
      expect(degraded.status).toBe(200);
      expect(degraded.body).toEqual({ status: 'ready', auth: 'degraded' });
      // Cached keys keep validating fresh tokens.
      const still = await request(cold.origin).post('/mcp').set(modernHeaders('tools/call', 'get_time'))
        .set('authorization', bearer(await cold.token('bob'))).send(JSON.stringify(modernBody('tools/call', { name: 'get_time', arguments: {} })));
      expect(still.status).toBe(200);
    } finally {
      await cold.close();
    }
  });

  it('/readyz stays 503 and requests get 503 temporarily_unavailable when the keys never load', async () => {
    const cold = await startOAuthServer({ warm: false });
    try {
      await cold.as.close();
      const r = await request(cold.origin).post('/mcp').set(modernHeaders('tools/call', 'get_time'))
        .set('authorization', bearer(await cold.token('alice'))).send(JSON.stringify(modernBody('tools/call', { name: 'get_time', arguments: {} })));
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe('30');
      expect(r.headers['www-authenticate']).toBe(`Bearer resource_metadata="${cold.origin}/.well-known/oauth-protected-resource/mcp", error="temporarily_unavailable", error_description="The authorization server is temporarily unavailable", scope="${CHALLENGE_SCOPE}"`);
      const ready = await request(cold.origin).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'not_ready', auth: 'not_ready' });
    } finally {
      await cold.close();
    }
  });
});
