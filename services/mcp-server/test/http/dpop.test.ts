/**
 * DPoP (RFC 9449) over HTTP, as main.ts wires it: challenges (§7.1), RFC 9728 metadata, DPoP-
 * bound tokens refused as Bearer (§7.2), replay, nonces (§9) and trust-proxy/htu.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import request from 'supertest';
import { accessTokenHash } from '../../src/auth/index.js';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

let holder: { privateKey: CryptoKey; jwk: JWK; jkt: string };
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  holder = { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
});

let seq = 0;
function proof(h: Harness, token: string, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ jti: `p-${++seq}`, htm: 'POST', htu: h.resource, iat: Math.floor(Date.now() / 1000), ath: accessTokenHash(token), ...extra })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: holder.jwk }).sign(holder.privateKey);
}

function call(h: Harness, authorization?: string, dpop?: string) {
  let r = request(h.origin).post('/mcp');
  for (const [k, v] of Object.entries(modernHeaders('tools/call', 'whoami'))) r = r.set(k, v);
  if (authorization !== undefined) r = r.set('authorization', authorization);
  if (dpop !== undefined) r = r.set('dpop', dpop);
  return r.send(JSON.stringify(modernBody('tools/call', { name: 'whoami', arguments: {} })));
}

const SCOPE = 'mcp:tools mcp:prompts mcp:resources';
const ALGS = 'ES256 ES384 PS256 RS256 EdDSA';

describe('MCP_DPOP=allowed', () => {
  let h: Harness;
  let rmu: string;
  beforeAll(async () => {
    h = await startOAuthServer({ env: { MCP_DPOP: 'allowed' } });
    rmu = `${h.origin}/.well-known/oauth-protected-resource/mcp`;
  });
  afterAll(async () => { await h?.close(); });

  it('challenges with both Bearer and DPoP (algs), each with resource_metadata (§7.1, RFC 9728 §5.1)', async () => {
    const r = await call(h);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Bearer resource_metadata="${rmu}", scope="${SCOPE}", DPoP resource_metadata="${rmu}", scope="${SCOPE}", algs="${ALGS}"`);
  });

  it('advertises the DPoP algorithms, not required, in RFC 9728 metadata', async () => {
    const r = await request(h.origin).get('/.well-known/oauth-protected-resource/mcp');
    expect(r.body).toMatchObject({ dpop_signing_alg_values_supported: ALGS.split(' '), dpop_bound_access_tokens_required: false });
  });

  it('accepts a DPoP-bound token with a valid proof, once per proof', async () => {
    const token = await h.token('alice', { cnf: { jkt: holder.jkt } });
    const p = await proof(h, token);
    const r = await call(h, `DPoP ${token}`, p);
    expect(r.status).toBe(200);
    const replay = await call(h, `DPoP ${token}`, p);
    expect(replay.status).toBe(401);
    expect(replay.headers['www-authenticate']).toContain('DPoP resource_metadata');
    expect(replay.headers['www-authenticate']).toMatch(/DPoP [^]*error="invalid_dpop_proof"/);
  });

  it('still accepts a plain Bearer token', async () => {
    expect((await call(h, `Bearer ${await h.token('bob')}`)).status).toBe(200);
  });

  it('refuses a DPoP-bound token presented as Bearer (§7.2), the error on the DPoP challenge', async () => {
    const r = await call(h, `Bearer ${await h.token('alice', { cnf: { jkt: holder.jkt } })}`);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Bearer resource_metadata="${rmu}", scope="${SCOPE}", DPoP resource_metadata="${rmu}", error="invalid_token", error_description="The access token is invalid", scope="${SCOPE}", algs="${ALGS}"`);
  });

  it('refuses a DPoP token without a proof, with two proofs, and bound to another key', async () => {
    const token = await h.token('alice', { cnf: { jkt: holder.jkt } });
    expect((await call(h, `DPoP ${token}`)).body.error).toBe('invalid_dpop_proof');
    const two = await request(h.origin).post('/mcp').set(modernHeaders('tools/call', 'whoami')).set('authorization', `DPoP ${token}`)
      .set('dpop', [await proof(h, token), await proof(h, token)] as unknown as string) // superagent sends one line per element.send(JSON.stringify(modernBody('tools/call', { name: 'whoami', arguments: {} })));
    expect(two.body.error).toBe('invalid_dpop_proof');
    const other = await h.token('alice', { cnf: { jkt: 'x'.repeat(43) } });
    const r = await call(h, `DPoP ${other}`, await proof(h, other));
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_token');
  });

  it('refuses a proof for another URI or method', async () => {
    const token = await h.token('alice', { cnf: { jkt: holder.jkt } });
    expect((await call(h, `DPoP ${token}`, await proof(h, token, { htu: `${h.origin}/other` }))).body.error).toBe('invalid_dpop_proof');
    expect((await call(h, `DPoP ${token}`, await proof(h, token, { htm: 'GET' }))).body.error).toBe('invalid_dpop_proof');
  });
});

describe('MCP_DPOP=required with nonces', () => {
  let h: Harness;
  beforeAll(async () => { h = await startOAuthServer({ env: { MCP_DPOP: 'required', MCP_DPOP_NONCE: 'true', MCP_DPOP_ALGS: 'ES256' } }); });
  afterAll(async () => { await h?.close(); });

  it('challenges with DPoP only and says so in the metadata', async () => {
    const r = await call(h);
    expect(r.headers['www-authenticate']).toMatch(/^DPoP resource_metadata="[^"]+", scope="[^"]+", algs="ES256"$/);
    const m = await request(h.origin).get('/.well-known/oauth-protected-resource');
    expect(m.body).toMatchObject({ dpop_signing_alg_values_supported: ['ES256'], dpop_bound_access_tokens_required: true });
  });

  it('refuses Bearer, even with an unbound token', async () => {
    const r = await call(h, `Bearer ${await h.token('bob')}`);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/^DPoP .*error="invalid_token"/);
  });

  it('demands a nonce (use_dpop_nonce + DPoP-Nonce), then accepts the retried proof', async () => {
    const token = await h.token('alice', { cnf: { jkt: holder.jkt } });
    const first = await call(h, `DPoP ${token}`, await proof(h, token));
    expect(first.status).toBe(401);
    expect(first.body.error).toBe('use_dpop_nonce');
    const nonce = first.headers['dpop-nonce'] as string;
    expect(nonce).toBeTruthy();
    expect((await call(h, `DPoP ${token}`, await proof(h, token, { nonce }))).status).toBe(200);
  });
});
