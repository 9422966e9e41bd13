import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AuthError, ConfigurationError } from '../../src/auth/errors.js';
import { requireScopes, tokenOf } from '../../src/auth/principal.js';
import { createTokenVerifier, isJwtShaped } from '../../src/auth/verify.js';
import { NOOP_METRICS, setMetrics } from '../../src/observability/sink.js';
import type { TokenVerifierOptions } from '../../src/auth/verify.js';
import { makeKey, serveIssuer, signToken, startFakeAs } from './support/fake-as.js';
import type { FakeAs, TestKey } from './support/fake-as.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const INTROSPECT = '/introspect';

let as: FakeAs;
let key: TestKey;
let t: number;
const sec = (): number => Math.floor(t / 1000);

const make = (mode: TokenVerifierOptions['mode'], extra: Partial<TokenVerifierOptions> = {}) => createTokenVerifier({
  mode, resource: RESOURCE, now: () => t,
  jwt: { issuers: [as.issuer] },
  introspection: { issuer: as.issuer, clientId: 'rs', clientAuth: { method: 'client_secret_basic', clientSecret: 'pw' },
    introspectionEndpoint: as.origin + INTROSPECT },
  ...extra,
});
const jwt = (over: Record<string, unknown> = {}) =>
  signToken(key, { iss: as.issuer, aud: RESOURCE, sub: 'alice', exp: sec() + 600, scope: 'mcp:read', ...over });
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as AuthError).code);

beforeEach(async () => {
  t = Date.UTC(2030, 0, 1);
  as = await startFakeAs();
  key = await makeKey('k1');
  serveIssuer(as, () => [key.jwk]);
  as.routes.set(INTROSPECT, (req) => ({
    json: new URLSearchParams(req.body).get('token') === 'opaque-1'
      ? { active: true, sub: 'bob', aud: RESOURCE, exp: sec() + 600 } : { active: false },
  }));
});
afterEach(async () => {
  setMetrics(undefined);
  await as.close();
});

describe('createTokenVerifier', () => {
  it('no header → no_credentials; malformed → invalid_request; oversize → invalid_token', async () => {
    const v = make('jwt');
    expect(await codeOf(v.verify(undefined))).toBe('no_credentials');
    expect(await codeOf(v.verify('Basic abc'))).toBe('no_credentials');
    expect(await codeOf(v.verify('Bearer a b'))).toBe('invalid_request');
    expect(await codeOf(v.verify(`Bearer ${'a'.repeat(8193)}`))).toBe('invalid_token');
    expect(await codeOf(make('jwt', { maxTokenBytes: 64 }).verify(`Bearer ${await jwt()}`))).toBe('invalid_token');
    expect(as.requests).toHaveLength(0);
  });

  it('jwt mode verifies and caches principals by token hash until exp', async () => {
    const hits: boolean[] = [];
    setMetrics({ ...NOOP_METRICS, tokenCache: (hit) => { hits.push(hit); } });
    const v = make('jwt');
    const token = await jwt({ exp: sec() + 60, client_id: 'app', custom: { nested: [1] } });
    const p1 = await v.verify(`Bearer ${token}`);
    const p2 = await v.verify(`bearer ${token}`);
    expect(hits).toEqual([false, true]);
    // A hit is a new principal for this request, equal in every field the miss had.
    expect(p2).not.toBe(p1);
    for (const p of [p1, p2]) {
      expect(p).toMatchObject({ subject: 'alice', clientId: 'app', scopes: ['mcp:read'], expiresAt: sec() + 60, issuer: as.issuer });
      expect(tokenOf(p)).toBe(token);
    }
    expect(p2.claims).toEqual(p1.claims);
    expect(p2.claims).toMatchObject({ sub: 'alice', client_id: 'app', custom: { nested: [1] } });
    expect(Object.isFrozen(p2) && Object.isFrozen(p2.claims)).toBe(true);
    t += 60_000; // at exp the cache entry is gone; re-verification still passes within tolerance
    expect((await v.verify(`Bearer ${token}`)).subject).toBe('alice');
    expect(hits).toEqual([false, true, false]);
    t += 31_000;
    expect(await codeOf(v.verify(`Bearer ${token}`))).toBe('invalid_token');
    expect(await codeOf(v.verify('Bearer opaque-1'))).toBe('invalid_token'); // jwt mode never introspects
    expect(as.count(INTROSPECT)).toBe(0);
  });

  it('cache: false re-verifies every time', async () => {
    const hits: boolean[] = [];
    setMetrics({ ...NOOP_METRICS, tokenCache: (hit) => { hits.push(hit); } });
    const v = make('jwt', { cache: false });
    const token = await jwt();
    await v.verify(`Bearer ${token}`);
    await v.verify(`Bearer ${token}`);
    expect(hits).toEqual([]);
  });

  it('the cache keeps only the identity (4 KB of claims cost it nothing) within maxBytes', async () => {
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => jwt({ sub: `user-${i}`, big: 'x'.repeat(4000) })));
    // Each identity is a few hundred estimated bytes: a 1,500-byte budget holds some, not all.
    const v = make('jwt', { cache: { maxBytes: 1500 } });
    const hits: boolean[] = [];
    setMetrics({ ...NOOP_METRICS, tokenCache: (hit, size) => { hits.push(hit); expect(size).toBeLessThan(6); } });
    for (const tk of tokens) await v.verify(`Bearer ${tk}`);
    await v.verify(`Bearer ${tokens[5]}`); // most recent: still cached
    await v.verify(`Bearer ${tokens[0]}`); // least recent: evicted
    expect(hits.slice(6)).toEqual([true, false]);
  });

  it('introspection mode introspects even JWT-shaped tokens', async () => {
    const v = make('introspection');
    expect((await v.verify('Bearer opaque-1')).subject).toBe('bob');
    expect(await codeOf(v.verify(`Bearer ${await jwt()}`))).toBe('invalid_token');
    expect(as.count(INTROSPECT)).toBe(2);
    expect(as.count('/jwks')).toBe(0);
  });

  it('auto mode routes JWT-shaped tokens to jwt and others to introspection', async () => {
    const v = make('auto');
    expect((await v.verify(`Bearer ${await jwt()}`)).subject).toBe('alice');
    expect((await v.verify('Bearer opaque-1')).subject).toBe('bob');
    expect(as.count(INTROSPECT)).toBe(1);
    expect(isJwtShaped('eyJhbGciOiJSUzI1NiJ9.e30.sig')).toBe(true);
    expect(isJwtShaped('opaque.token.value')).toBe(false);
    expect(isJwtShaped('eyJ.a.b.c.d')).toBe(false); // JWE (5 parts) → introspection
  });

  it('routes every outbound request through the injected fetch', async () => {
    const seen: string[] = [];
    const v = make('auto', { fetch: (u, i) => (seen.push(new URL(u).pathname), fetch(u, i)) });
    await v.verify(`Bearer ${await jwt()}`);
    await v.verify('Bearer opaque-1');
    expect(seen).toEqual(['/.well-known/oauth-authorization-server', '/jwks', INTROSPECT]);
  });

  it('accepts configured audiences instead of the resource', async () => {
    const v = make('jwt', { audiences: ['mcp-api'] });
    expect(await codeOf(v.verify(`Bearer ${await jwt()}`))).toBe('invalid_token');
    expect(await codeOf(v.verify(`Bearer ${await jwt({ aud: 'mcp-api' })}`))).toBe('ok');
  });

  it('status and warmUp aggregate both verifiers', async () => {
    const v = make('auto');
    expect(v.status().components.map((c) => c.state)).toEqual(['not_ready', 'ready']);
    expect(v.status().state).toBe('degraded');
    expect((await v.warmUp()).state).toBe('ready');
  });

  it('requireScopes raises insufficient_scope with the needed scopes', async () => {
    const p = await make('jwt').verify(`Bearer ${await jwt()}`);
    expect(() => requireScopes(p, ['mcp:read'])).not.toThrow();
    let err: unknown;
    try {
      requireScopes(p, ['mcp:read', 'mcp:admin']);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'insufficient_scope', status: 403, requiredScopes: ['mcp:read', 'mcp:admin'] });
  });

  it('validates options at creation', () => {
    const base = { resource: RESOURCE, jwt: { issuers: ['https://as.example.com'] } };
    expect(() => createTokenVerifier({ ...base, mode: 'JWT' as 'jwt' })).toThrow(/did you mean "jwt"/);
    expect(() => createTokenVerifier({ ...base, mode: 'introspection' })).toThrow(/requires the introspection/);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', resource: 'https://mcp.example.com/' }))
      .toThrow(/did you mean "https:\/\/mcp.example.com"/);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', audience: RESOURCE } as unknown as TokenVerifierOptions))
      .toThrow(/unknown option "audience".*did you mean "audiences"/);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', audiences: [`${RESOURCE}/`] })).toThrow(/ends with a slash/);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', jwt: { issuers: ['https://as.example.com'], algorithms: ['HS256'] } }))
      .toThrow(/never accepted/);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', jwt: { issuers: ['https://as.example.com'], algorithms: ['rs256'] } }))
      .toThrow(/did you mean "RS256"/);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', jwt: { issuers: ['http://as.example.com'] } }))
      .toThrow(/did you mean "https:\/\/as.example.com"/);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', jwt: { issuers: [] } })).toThrow(ConfigurationError);
    expect(() => createTokenVerifier({ ...base, mode: 'jwt', jwt: { issuers: ['https://a.example', 'https://a.example'] } }))
      .toThrow(/twice/);
    expect(() => createTokenVerifier({ ...base, mode: 'auto', introspection: {
      issuer: 'https://as.example.com', clientId: 'rs', clientAuth: { method: 'client-secret-basic' as 'none' } } }))
      .toThrow(/did you mean "client_secret_basic"/);
    expect(() => createTokenVerifier({ ...base, mode: 'auto', introspection: {
      issuer: 'https://as.example.com', clientId: 'rs', clientAuth: { method: 'client_secret_post' } as never } }))
      .toThrow(/clientSecret is required/);
    const frozen = Object.freeze({ ...base, mode: 'jwt' as const, jwt: Object.freeze({ issuers: Object.freeze(['https://a.example']) }) });
    expect(() => createTokenVerifier(frozen)).not.toThrow(); // options are never mutated
  });

  it('AuthError keeps its cause and has stable fields', () => {
    const cause = new Error('boom');
    const e = new AuthError('invalid_token', { reason: 'expired', cause });
    expect(e).toMatchObject({ name: 'AuthError', code: 'invalid_token', status: 401, error: 'invalid_token', cause });
    expect(e.description).toBe('The access token is invalid');
    expect(e).toBeInstanceOf(Error);
    expect(new ConfigurationError('x', '"y"').message).toBe('x (did you mean "y"?)');
    expect(new ConfigurationError('x')).toBeInstanceOf(TypeError);
  });
});
