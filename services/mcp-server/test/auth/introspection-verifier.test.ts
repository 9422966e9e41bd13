import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AuthError } from '../../src/auth/errors.js';
import { createIntrospectionVerifier } from '../../src/auth/introspection-verifier.js';
import type { IntrospectionVerifierOptions } from '../../src/auth/introspection-verifier.js';
import { tokenOf } from '../../src/auth/principal.js';
import { form, startFakeAs } from './support/fake-as.js';
import type { FakeAs } from './support/fake-as.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const PATH = '/protocol/openid-connect/token/introspect';

let as: FakeAs;
let t: number;
let answers: Record<string, Record<string, unknown>>;
const sec = (): number => Math.floor(t / 1000);

const verifier = (extra: Partial<IntrospectionVerifierOptions> = {}) => createIntrospectionVerifier({
  issuer: as.issuer, clientId: 'mcp-rs', clientAuth: { method: 'client_secret_basic', clientSecret: 's3cret' },
  audiences: [RESOURCE], now: () => t, ...extra,
});

async function rejects(p: Promise<unknown>, code: string, reason?: string): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe(code);
  if (reason) expect((err as AuthError).reason).toContain(reason);
}

beforeEach(async () => {
  t = Date.UTC(2030, 0, 1);
  as = await startFakeAs('/realms/test');
  answers = {};
  as.routes.set('/.well-known/oauth-authorization-server/realms/test', () => ({
    json: { issuer: as.issuer, introspection_endpoint: as.origin + PATH, token_endpoint: `${as.origin}/token` },
  }));
  as.routes.set(PATH, (req) => ({ json: answers[form(req).get('token') ?? ''] ?? { active: false } }));
});
afterEach(() => as.close());

describe('introspection verifier (RFC 7662)', () => {
  it('accepts an active token, authenticates with client_secret_basic, caches until min(exp, TTL)', async () => {
    answers.good = { active: true, sub: 'bob', client_id: 'app', scope: 'mcp:read', aud: RESOURCE, iss: as.issuer,
      exp: sec() + 3600 };
    const v = verifier({ positiveTtlMs: 60_000 });
    const p = await v.verify('good');
    expect(p).toMatchObject({ subject: 'bob', clientId: 'app', scopes: ['mcp:read'], issuer: as.issuer });
    expect(tokenOf(p)).toBe('good');
    const req = as.requests.find((r) => r.path === PATH)!;
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64 ('-' → %2D).
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('mcp%2Drs:s3cret').toString('base64')}`);
    expect(form(req).get('token_type_hint')).toBe('access_token');
    await v.verify('good');
    expect(as.count(PATH)).toBe(1);
    t += 60_000; // TTL elapsed → introspect again
    await v.verify('good');
    expect(as.count(PATH)).toBe(2);
    expect(v.requestCount).toBe(2);
  });

  it('refuses scope as an array (RFC 7662 §2.2: a space-separated string); scp only when configured', async () => {
    answers.arr = { active: true, sub: 'b', scope: ['mcp:tools', 'mcp:admin'] };
    answers.scp = { active: true, sub: 'b', scp: ['mcp:tools'] };
    await rejects(verifier().verify('arr'), 'invalid_token', 'scope claim');
    await rejects(verifier().verify('scp'), 'invalid_token', 'scp');
    expect((await verifier({ scpClaim: true }).verify('scp')).scopes).toEqual(['mcp:tools']);
  });

  it('never caches past exp', async () => {
    answers.short = { active: true, sub: 'bob', exp: sec() + 5 };
    const v = verifier({ positiveTtlMs: 60_000, clockToleranceSeconds: 0 });
    await v.verify('short');
    t += 5_000;
    await rejects(v.verify('short'), 'invalid_token', 'expired'); // re-introspected, now expired
    expect(as.count(PATH)).toBe(2);
  });

  it('caches inactive results briefly (negative TTL)', async () => {
    const v = verifier({ negativeTtlMs: 10_000 });
    await rejects(v.verify('nope'), 'invalid_token', 'inactive');
    await rejects(v.verify('nope'), 'invalid_token', 'inactive');
    expect(as.count(PATH)).toBe(1);
    t += 10_000;
    await rejects(v.verify('nope'), 'invalid_token', 'inactive');
    expect(as.count(PATH)).toBe(2);
  });

  it('rejects expired, not-yet-valid, wrong aud, wrong iss, non-access and sub-less tokens', async () => {
    answers.expired = { active: true, sub: 'b', exp: sec() - 60 };
    answers.future = { active: true, sub: 'b', nbf: sec() + 600 };
    answers.aud = { active: true, sub: 'b', aud: ['https://other.example.com'] };
    answers.iss = { active: true, sub: 'b', iss: 'https://evil.example.com' };
    answers.refresh = { active: true, sub: 'b', typ: 'Refresh' };
    answers.nosub = { active: true, client_id: 'app' };
    answers.unbound = { active: true, sub: 'b', typ: 'DPoP' };
    const v = verifier();
    await rejects(v.verify('expired'), 'invalid_token', 'expired');
    await rejects(v.verify('future'), 'invalid_token', 'not yet valid');
    await rejects(v.verify('aud'), 'invalid_token', 'audience');
    await rejects(v.verify('iss'), 'invalid_token', 'issuer');
    await rejects(v.verify('refresh'), 'invalid_token', 'access token');
    await rejects(v.verify('nosub'), 'invalid_token', 'sub');
    await rejects(v.verify('unbound'), 'invalid_token', 'access token'); // typ DPoP without cnf.jkt
    await rejects(v.verify('aud'), 'invalid_token', 'audience'); // negative cache hit
    expect(as.count(PATH)).toBe(7);
  });

  it('accepts Keycloak\'s DPoP-bound access tokens: typ DPoP with cnf.jkt', async () => {
    answers.bound = { active: true, sub: 'b', typ: 'DPoP', cnf: { jkt: 'x'.repeat(43) } };
    expect((await verifier().verify('bound')).subject).toBe('b');
  });

  it('accepts a missing aud unless requireAudience is set', async () => {
    answers.noaud = { active: true, sub: 'b' };
    expect((await verifier().verify('noaud')).subject).toBe('b');
    await rejects(verifier({ requireAudience: true }).verify('noaud'), 'invalid_token', 'audience');
  });

  it('shares one request between concurrent verifications of the same token', async () => {
    answers.c = { active: true, sub: 'b' };
    const v = verifier();
    await Promise.all([v.verify('c'), v.verify('c'), v.verify('c')]);
    expect(as.count(PATH)).toBe(1);
  });

  it('uses client_secret_post and a configured endpoint without discovery', async () => {
    answers.p = { active: true, sub: 'b' };
    const v = verifier({ clientAuth: { method: 'client_secret_post', clientSecret: 'pw' },
      introspectionEndpoint: as.origin + PATH });
    await v.verify('p');
    const body = form(as.requests.find((r) => r.path === PATH)!);
    expect(body.get('client_id')).toBe('mcp-rs');
    expect(body.get('client_secret')).toBe('pw');
    expect(as.requests.some((r) => r.path.includes('.well-known'))).toBe(false);
  });

  it('maps AS failures to issuer_unavailable, does not cache them, and reports status', async () => {
    const v = verifier();
    expect(v.status().state).toBe('ready');
    as.routes.set(PATH, () => ({ status: 500, json: { error: 'server_error' } }));
    await rejects(v.verify('x'), 'issuer_unavailable');
    expect(v.status().state).toBe('not_ready');
    answers.x = { active: true, sub: 'b' };
    as.routes.set(PATH, (req) => ({ json: answers[form(req).get('token') ?? ''] ?? { active: false } }));
    await v.verify('x');
    expect(v.status().state).toBe('ready');
    as.routes.set(PATH, () => ({ status: 401, json: { error: 'invalid_client' } }));
    await rejects(v.verify('y'), 'issuer_unavailable');
    expect(v.status()).toMatchObject({ state: 'degraded' });
    await expect(v.verify('x')).resolves.toBeDefined(); // cached principal still served
  });
});

describe('introspection client authentication', () => {
  it('supports private_key_jwt (RFC 7523) assertions', async () => {
    const { generateKeyPair, decodeJwt, decodeProtectedHeader } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256');
    answers.k = { active: true, sub: 'b' };
    const v = verifier({ clientAuth: { method: 'private_key_jwt', privateKey, kid: 'rs-key' } });
    await v.verify('k');
    const body = form(as.requests.find((r) => r.path === PATH)!);
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = body.get('client_assertion')!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES256', kid: 'rs-key' });
    expect(decodeJwt(assertion)).toMatchObject({ iss: 'mcp-rs', sub: 'mcp-rs' });
  });
});
