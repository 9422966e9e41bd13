import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { base64url, exportSPKI, SignJWT } from 'jose';
import type { JWK } from 'jose';
import { AuthError } from '../../src/auth/errors.js';
import { createJwtVerifier } from '../../src/auth/jwt-verifier.js';
import type { JwtVerifierOptions } from '../../src/auth/jwt-verifier.js';
import { tokenOf } from '../../src/auth/principal.js';
import { makeKey, serveIssuer, signToken, startFakeAs } from './support/fake-as.js';
import type { FakeAs, TestKey } from './support/fake-as.js';

const RESOURCE = 'https://mcp.example.com/mcp';

let as: FakeAs;
let key: TestKey;
let published: JWK[];
let t: number;
const now = (): number => t;
const sec = (): number => Math.floor(t / 1000);

const verifier = (extra: Partial<JwtVerifierOptions> = {}) =>
  createJwtVerifier({ issuers: [as.issuer], audiences: [RESOURCE], now, jwksCooldownMs: 30_000, ...extra });
const claims = (over: Record<string, unknown> = {}) => ({
  iss: as.issuer, aud: RESOURCE, sub: 'alice', client_id: 'app', iat: sec(), exp: sec() + 300,
  scope: 'mcp:read mcp:write', ...over,
});

async function rejects(p: Promise<unknown>, code: string, reason?: string): Promise<AuthError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe(code);
  if (reason !== undefined) expect((err as AuthError).reason).toContain(reason);
  return err as AuthError;
}

beforeEach(async () => {
  t = Date.UTC(2030, 0, 1);
  as = await startFakeAs('/realms/test');
  key = await makeKey('k1');
  published = [key.jwk];
  serveIssuer(as, () => published, { id_token_signing_alg_values_supported: ['RS256', 'HS256', 'none'] });
});
afterEach(() => as.close());

describe('JWT access tokens (RFC 9068)', () => {
  it('accepts a valid token and builds the principal', async () => {
    const token = await signToken(key, claims());
    const p = await verifier().verify(token);
    expect(p).toMatchObject({ subject: 'alice', clientId: 'app', scopes: ['mcp:read', 'mcp:write'], issuer: as.issuer });
    expect(p.expiresAt).toBe(sec() + 300);
    expect(Object.isFrozen(p)).toBe(true);
    expect(JSON.stringify(p)).not.toContain(token);
    expect(tokenOf(p)).toBe(token);
    // discovery used the RFC 8414 path-insertion URL
    expect(as.count('/.well-known/oauth-authorization-server/realms/test')).toBe(1);
  });

  it('takes scope only as an RFC 9068 space-delimited string; a token without scope has none', async () => {
    const v = verifier();
    const dup = await v.verify(await signToken(key, claims({ scope: 'a b a' })));
    expect(dup.scopes).toEqual(['a', 'b']);
    const none = await v.verify(await signToken(key, claims({ scope: undefined })));
    expect(none.scopes).toEqual([]);
  });

  it('refuses scope as a JSON array (it granted every listed scope before) or any other non-string', async () => {
    const v = verifier();
    await rejects(v.verify(await signToken(key, claims({ scope: ['mcp:tools', 'mcp:admin'] }))), 'invalid_token', 'scope claim');
    await rejects(v.verify(await signToken(key, claims({ scope: 42 }))), 'invalid_token', 'scope claim');
    await rejects(v.verify(await signToken(key, claims({ scope: { admin: true } }))), 'invalid_token', 'scope claim');
  });

  it('refuses scp unless the issuer is configured for it; configured, takes arrays and strings', async () => {
    await rejects(verifier().verify(await signToken(key, claims({ scope: undefined, scp: ['a'] }))), 'invalid_token', 'scp');
    const v = verifier({ issuers: [{ issuer: as.issuer, scpClaim: true }] });
    const arr = await v.verify(await signToken(key, claims({ scope: undefined, scp: ['a', 'b', 'a'] })));
    expect(arr.scopes).toEqual(['a', 'b']);
    const str = await v.verify(await signToken(key, claims({ scope: undefined, scp: 'x y' })));
    expect(str.scopes).toEqual(['x', 'y']);
    await rejects(v.verify(await signToken(key, claims({ scope: undefined, scp: [1, 2] }))), 'invalid_token', 'scp');
    // `scope`, when present, still wins and must still be a string.
    await rejects(v.verify(await signToken(key, claims({ scope: ['a'], scp: ['a'] }))), 'invalid_token', 'scope claim');
  });

  it('uses azp as clientId when client_id is absent', async () => {
    const p = await verifier().verify(await signToken(key, claims({ client_id: undefined, azp: 'kc-app' })));
    expect(p.clientId).toBe('kc-app');
  });

  it('rejects alg none without touching the network', async () => {
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const token = `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc(claims())}.`;
    await rejects(verifier().verify(token), 'invalid_token', 'algorithm');
    expect(as.requests).toHaveLength(0);
  });

  it('rejects HS256 signed with the public key (PEM and JWK bytes) as the secret', async () => {
    const pem = await exportSPKI(key.publicKey);
    for (const secret of [pem, JSON.stringify(key.jwk)]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
        .sign(new TextEncoder().encode(secret));
      await rejects(verifier().verify(token), 'invalid_token', 'algorithm');
    }
    // even when listed in AS metadata, HS256 never reaches key lookup
    expect(as.count('/jwks')).toBe(0);
  });

  it('rejects an RS384 token when the issuer is pinned to RS256', async () => {
    const k384 = await makeKey('k384', 'RS384');
    published = [key.jwk, k384.jwk];
    const v = verifier({ issuers: [{ issuer: as.issuer, algorithms: ['RS256'] }] });
    await rejects(v.verify(await signToken(k384, claims())), 'invalid_token', 'algorithm');
  });

  it('rejects a bad signature', async () => {
    const other = await makeKey('k1');
    await rejects(verifier().verify(await signToken(other, claims())), 'invalid_token', 'signature');
  });

  it('checks exp, nbf and iat with clock tolerance', async () => {
    const v = verifier({ clockToleranceSeconds: 30 });
    await rejects(v.verify(await signToken(key, claims({ exp: sec() - 31 }))), 'invalid_token', 'expired');
    await expect(v.verify(await signToken(key, claims({ exp: sec() - 10 })))).resolves.toBeDefined();
    await rejects(v.verify(await signToken(key, claims({ nbf: sec() + 60 }))), 'invalid_token', 'nbf');
    await expect(v.verify(await signToken(key, claims({ nbf: sec() + 20 })))).resolves.toBeDefined();
    await rejects(v.verify(await signToken(key, claims({ iat: sec() + 120 }))), 'invalid_token', 'iat');
  });

  it('requires exp and sub', async () => {
    await rejects(verifier().verify(await signToken(key, claims({ exp: undefined }))), 'invalid_token', 'exp');
    await rejects(verifier().verify(await signToken(key, claims({ sub: undefined }))), 'invalid_token', 'sub');
  });

  it('requires an exact trusted issuer and never fetches from an untrusted one', async () => {
    for (const iss of [`${as.issuer}/`, 'https://evil.example.com', as.origin]) {
      await rejects(verifier().verify(await signToken(key, claims({ iss }))), 'invalid_token', 'untrusted issuer');
    }
    expect(as.requests).toHaveLength(0);
  });

  it('requires the audience to contain an accepted one (RFC 8707)', async () => {
    await rejects(verifier().verify(await signToken(key, claims({ aud: 'https://other.example.com' }))),
      'invalid_token', 'aud');
    await rejects(verifier().verify(await signToken(key, claims({ aud: undefined }))), 'invalid_token', 'aud');
    const p = await verifier().verify(await signToken(key, claims({ aud: ['x', RESOURCE] })));
    expect(p.subject).toBe('alice');
  });

  it('honours typ: at+jwt, application/at+jwt, JWT and none accepted; ID and id tokens rejected', async () => {
    const v = verifier();
    for (const typ of ['at+jwt', 'application/at+jwt', 'JWT', undefined]) {
      await expect(v.verify(await signToken(key, claims(), { typ }))).resolves.toBeDefined();
    }
    await rejects(v.verify(await signToken(key, claims(), { typ: 'ID' })), 'invalid_token', 'type');
    await rejects(v.verify(await signToken(key, claims({ typ: 'ID' }))), 'invalid_token', 'access token');
    await expect(v.verify(await signToken(key, claims({ typ: 'Bearer' })))).resolves.toBeDefined();
    // Keycloak's DPoP-bound access tokens: typ DPoP with cnf.jkt; without the binding, refused.
    await expect(v.verify(await signToken(key, claims({ typ: 'DPoP', cnf: { jkt: 'x'.repeat(43) } })))).resolves.toBeDefined();
    await rejects(v.verify(await signToken(key, claims({ typ: 'DPoP' }))), 'invalid_token', 'access token');
    const strict = verifier({ typ: 'strict' });
    await rejects(strict.verify(await signToken(key, claims(), { typ: 'JWT' })), 'invalid_token', 'type');
    await expect(strict.verify(await signToken(key, claims(), { typ: 'application/at+jwt' }))).resolves.toBeDefined();
  });

  it('rejects malformed tokens', async () => {
    for (const bad of ['abc', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.bm90anNvbg.sig']) {
      await rejects(verifier().verify(bad), 'invalid_token', 'malformed');
    }
  });

  it('refreshes once on an unknown kid, then fails; the cooldown prevents a refresh storm', async () => {
    const v = verifier();
    await v.verify(await signToken(key, claims()));
    expect(as.count('/jwks')).toBe(1);
    const rotated = await makeKey('k2');
    const unknown = await signToken(rotated, claims());
    t += 31_000; // past the cooldown after the first fetch
    await rejects(v.verify(unknown), 'invalid_token', 'no matching key');
    expect(as.count('/jwks')).toBe(2);
    for (let i = 0; i < 5; i++) await rejects(v.verify(unknown), 'invalid_token', 'no matching key');
    expect(as.count('/jwks')).toBe(2); // cooldown: no storm
    // key rotation: once published and the cooldown has passed, the new kid is picked up
    published = [key.jwk, rotated.jwk];
    t += 31_000;
    await expect(v.verify(unknown)).resolves.toBeDefined();
    expect(as.count('/jwks')).toBe(3);
  });

  it('keeps validating with cached keys while the AS is down and reports degraded', async () => {
    const v = verifier({ jwksMaxAgeMs: 60_000 });
    expect(v.status().state).toBe('not_ready');
    const status = await v.warmUp();
    expect(status.state).toBe('ready');
    await as.close();
    t += 120_000; // keys stale → refresh attempted, fails, cached keys still used
    await expect(v.verify(await signToken(key, claims()))).resolves.toBeDefined();
    const s = v.status();
    expect(s.state).toBe('degraded');
    expect(s.lastError?.message).toContain('/jwks');
    expect(s.components[0]).toMatchObject({ name: as.issuer, state: 'degraded', keyCount: 1 });
  });

  it('reports not_ready and issuer_unavailable when keys were never fetched', async () => {
    await as.close();
    const v = verifier();
    await rejects(v.verify(await signToken(key, claims())), 'issuer_unavailable');
    expect(v.status()).toMatchObject({ state: 'not_ready' });
    expect(v.status().lastError?.message).toContain('discovery failed');
    await rejects(v.verify(await signToken(key, claims())), 'issuer_unavailable', 'cooling down');
  });

  it('supports several issuers and a configured jwksUri (no discovery)', async () => {
    const as2 = await startFakeAs();
    try {
      const key2 = await makeKey('other');
      as2.routes.set('/keys', () => ({ json: { keys: [key2.jwk] } }));
      const v = verifier({ issuers: [as.issuer, { issuer: as2.issuer, jwksUri: `${as2.origin}/keys` }] });
      expect((await v.verify(await signToken(key, claims()))).issuer).toBe(as.issuer);
      const p2 = await v.verify(await signToken(key2, claims({ iss: as2.issuer })));
      expect(p2.issuer).toBe(as2.issuer);
      expect(as2.count('/keys')).toBe(1);
      expect(as2.requests.some((r) => r.path.includes('.well-known'))).toBe(false);
      // a token signed by issuer 1's key but claiming issuer 2 fails
      await rejects(v.verify(await signToken(key, claims({ iss: as2.issuer }))), 'invalid_token');
    } finally {
      await as2.close();
    }
  });

  it('rejects metadata whose issuer does not match (RFC 8414 §3.3)', async () => {
    as.routes.set('/.well-known/oauth-authorization-server/realms/test', () => ({
      json: { issuer: 'https://evil.example.com', jwks_uri: `${as.origin}/jwks` },
    }));
    await rejects(verifier().verify(await signToken(key, claims())), 'issuer_unavailable');
    expect(as.count('/jwks')).toBe(0);
  });
});

describe('JWKS edge cases', () => {
  it('treats a JWKS without keys, or an oversized one, as an outage', async () => {
    as.routes.set('/jwks', () => ({ json: { nokeys: true } }));
    await rejects(verifier().verify(await signToken(key, claims())), 'issuer_unavailable');
    as.routes.set('/jwks', () => ({ json: { keys: [], pad: 'x'.repeat(600 * 1024) } }));
    const v = verifier();
    await rejects(v.verify(await signToken(key, claims())), 'issuer_unavailable');
    expect(v.status().lastError?.message).toMatch(/JSON|too large/);
  });

  it('recovers from degraded to ready once the JWKS is reachable again', async () => {
    const v = verifier({ jwksMaxAgeMs: 60_000 });
    await v.warmUp();
    as.routes.set('/jwks', () => ({ status: 503 }));
    t += 61_000;
    await v.verify(await signToken(key, claims()));
    expect(v.status().state).toBe('degraded');
    serveIssuer(as, () => published);
    t += 31_000; // cooldown over, keys still stale → refresh succeeds
    await v.verify(await signToken(key, claims()));
    expect(v.status()).toMatchObject({ state: 'ready' });
    expect(v.status().lastError).toBeUndefined();
  });

  it('refuses a discovered jwks_uri that is plain http on a non-loopback host', async () => {
    serveIssuer(as, () => published);
    as.routes.set('/.well-known/oauth-authorization-server/realms/test', () => ({
      json: { issuer: as.issuer, jwks_uri: 'http://keys.example.com/jwks' },
    }));
    await rejects(verifier().verify(await signToken(key, claims())), 'issuer_unavailable');
  });
});
