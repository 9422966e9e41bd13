// RFC 9449 §4.3 proof checks, each failing on its own, with an injected clock and store.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { accessTokenHash, createDpopNonces, createDpopProofVerifier, ConfigurationError, normalizeHtu } from '../../src/auth/index.js';
import { MemoryStore } from '../../src/state/memory-store.js';

const NOW = 1_800_000_000_000;
const URL_ = 'https://mcp.example.com/mcp';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.sig';
let key: { privateKey: CryptoKey; publicKey: CryptoKey };
let jwk: JWK;
let priv: JWK;

beforeAll(async () => {
  key = await generateKeyPair('ES256', { extractable: true });
  jwk = await exportJWK(key.publicKey);
  priv = await exportJWK(key.privateKey);
});

let n = 0;
async function proof(claims: JWTPayload = {}, header: Record<string, unknown> = {}, signer = key.privateKey): Promise<string> {
  return new SignJWT({ jti: `j${++n}`, htm: 'POST', htu: URL_, iat: NOW / 1000, ath: accessTokenHash(TOKEN), ...claims })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk, ...header } as never)
    .sign(signer);
}

const verifier = (extra: Partial<Parameters<typeof createDpopProofVerifier>[0]> = {}) =>
  createDpopProofVerifier({ store: new MemoryStore({ sweepMs: 0, now: () => NOW }), now: () => NOW, ...extra });
const input = (p: string) => ({ proof: p, method: 'POST', urls: [URL_], accessToken: TOKEN });

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; return 'accepted'; } catch (e) { return (e as { code: string; reason?: string }).code + ': ' + (e as { reason?: string }).reason; }
}

describe('createDpopProofVerifier', () => {
  it('accepts a valid proof and returns the RFC 7638 thumbprint of its key', async () => {
    const r = await verifier().verify(input(await proof()));
    expect(r.jkt).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
  });

  it('accepts htu with a query or fragment and a differently-cased host (§4.3 step 9)', async () => {
    await expect(verifier().verify(input(await proof({ htu: 'https://MCP.example.com:443/mcp?x=1#f' })))).resolves.toBeDefined();
  });

  it.each([
    ['not a JWT', async () => 'garbage', /not a JWT/],
    ['typ', async () => proof({}, { typ: 'JWT' }), /typ/],
    ['jwk missing', async () => proof({}, { jwk: undefined }), /jwk header missing/],
    ['private jwk', async () => proof({}, { jwk: priv }), /private/],
    ['signature by another key', async () => proof({}, {}, (await generateKeyPair('ES256')).privateKey), /signature/],
    ['jti missing', async () => proof({ jti: undefined }), /jti/],
    ['htm missing', async () => proof({ htm: undefined }), /htm missing/],
    ['htu missing', async () => proof({ htu: undefined }), /htu missing/],
    ['iat missing', async () => proof({ iat: undefined }), /iat missing/],
    ['htm mismatch', async () => proof({ htm: 'GET' }), /htm does not match/],
    ['htu other path', async () => proof({ htu: 'https://mcp.example.com/other' }), /htu/],
    ['htu other scheme', async () => proof({ htu: 'http://mcp.example.com/mcp' }), /htu/],
    ['htu other host', async () => proof({ htu: 'https://evil.example.com/mcp' }), /htu/],
    ['iat in the future', async () => proof({ iat: NOW / 1000 + 6 }), /future/],
    ['iat too old', async () => proof({ iat: NOW / 1000 - 61 }), /too old/],
    ['ath missing', async () => proof({ ath: undefined }), /ath/],
    ['ath of another token', async () => proof({ ath: accessTokenHash('other') }), /ath/],
  ])('refuses a proof with %s (invalid_dpop_proof)', async (_name, make, why) => {
    const r = await reason(verifier().verify(input(await make())));
    expect(r).toMatch(/^invalid_dpop_proof: /);
    expect(r).toMatch(why);
  });

  it('refuses a proof whose alg is outside the configured allowlist', async () => {
    expect(await reason(verifier({ algorithms: ['PS256'] }).verify(input(await proof())))).toBe('invalid_dpop_proof: alg ES256 not allowed');
  });

  it('refuses alg none and HS256 even when listed, at creation', () => {
    expect(() => verifier({ algorithms: ['none'] })).toThrow(ConfigurationError);
    expect(() => verifier({ algorithms: ['HS256'] })).toThrow(ConfigurationError);
  });

  it('refuses a replayed jti within the window, using the store atomically (§11.1)', async () => {
    const v = verifier();
    const p = await proof();
    await expect(v.verify(input(p))).resolves.toBeDefined();
    expect(await reason(v.verify(input(p)))).toBe('invalid_dpop_proof: replayed jti');
  });

  it('does not spend a jti on a proof that fails another check', async () => {
    const v = verifier();
    const p = await proof();
    expect(await reason(v.verify({ ...input(p), method: 'GET' }))).toMatch(/htm/);
    await expect(v.verify(input(p))).resolves.toBeDefined();
  });

  it('accepts a proof at the edges of the window and refuses just past them', async () => {
    await expect(verifier().verify(input(await proof({ iat: NOW / 1000 - 60 })))).resolves.toBeDefined();
    await expect(verifier().verify(input(await proof({ iat: NOW / 1000 + 5 })))).resolves.toBeDefined();
  });

  describe('server nonces (§8, §9)', () => {
    const nonces = createDpopNonces({ secret: 's', windowSeconds: 300, now: () => NOW });
    it('demands a nonce with use_dpop_nonce and a fresh DPoP-Nonce', async () => {
      const e = await verifier({ nonces }).verify(input(await proof())).catch((x: unknown) => x) as { code: string; dpopNonce: string; scheme: string };
      expect(e.code).toBe('use_dpop_nonce');
      expect(e.scheme).toBe('DPoP');
      expect(nonces.check(e.dpopNonce)).toBe(true);
    });
    it('accepts the current nonce, refuses a forged or expired one', async () => {
      await expect(verifier({ nonces }).verify(input(await proof({ nonce: nonces.current() })))).resolves.toBeDefined();
      expect(await reason(verifier({ nonces }).verify(input(await proof({ nonce: 'abc.AAAAAAAAAAAAAAAAAAAAAA' }))))).toMatch(/use_dpop_nonce/);
      const old = createDpopNonces({ secret: 's', windowSeconds: 300, now: () => NOW - 700_000 }).current();
      expect(await reason(verifier({ nonces }).verify(input(await proof({ nonce: old }))))).toMatch(/use_dpop_nonce/);
    });
  });
});

describe('normalizeHtu', () => {
  it('drops query and fragment, lowercases scheme and host, drops the default port', () => {
    expect(normalizeHtu('HTTPS://Example.COM:443/a?b#c')).toBe('https://example.com/a');
    expect(normalizeHtu('not a url')).toBeUndefined();
  });
});
