import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assertFetchableHost, cacheTtl, CimdError, createCimdResolver, isNonPublicAddress, validateClientIdUrl, validateMetadataDocument,
} from '../../src/dev-auth/cimd.js';
import { createDevAuthServer } from '../../src/dev-auth/index.js';
import type { DevAuthServer } from '../../src/dev-auth/index.js';
import { ENV, RESOURCE, authorize, browser, redeemCode, verifyAccessToken } from './flow.js';

const SCOPES = ['openid', 'offline_access', 'mcp:tools', 'mcp:admin'];
const OIDC = ['openid', 'offline_access', 'profile', 'email'];
const ID = 'https://client.example/oauth/metadata.json';
const doc = (extra: Record<string, unknown> = {}) => ({ client_id: ID, client_name: 'Example', redirect_uris: ['http://127.0.0.1/cb'], ...extra });
const publicDns = async () => ['93.184.215.14'];

describe('client_id URL rules', () => {
  it.each([
    ['https://client.example/app'],
    ['https://client.example/app?x=1'],
    ['http://127.0.0.1:8080/client.json'],
    ['http://localhost/client.json'],
  ])('accepts %s', (id) => { expect(() => validateClientIdUrl(id)).not.toThrow(); });

  it.each([
    ['http://client.example/app', /https/],
    ['ftp://client.example/app', /https/],
    ['not a url', /whitespace|valid URL/],
    ['https://client.example', /path/],
    ['https://client.example/', /path/],
    ['https://client.example/app#frag', /fragment/],
    ['https://user:pw@client.example/app', /credentials/],
    ['https://user@client.example/app', /credentials/],
    ['https://client.example/a/../b', /dot segments/],
    ['https://client.example/a/./b', /dot segments/],
    ['https://client.example/a/%2E%2e/b', /dot segments/],
    ['https://client.example/a\\b', /backslash/],
  ])('refuses %s', (id, why) => { expect(() => validateClientIdUrl(id)).toThrow(why); });
});

describe('SSRF guard', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '::1', '::', 'fc00::1', 'fd12::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:7f00:1', 'bogus'])('%s is not public', (ip) => {
    expect(isNonPublicAddress(ip)).toBe(true);
  });
  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => {
    expect(isNonPublicAddress(ip)).toBe(false);
  });

  it('refuses https to loopback, private and link-local hosts, by literal or by DNS', async () => {
    const check = (u: string, lookup = publicDns) => assertFetchableHost(new URL(u), lookup);
    await expect(check('https://127.0.0.1/c')).rejects.toThrow(/not a public address/);
    await expect(check('https://[::1]/c')).rejects.toThrow(/not a public address/);
    await expect(check('https://169.254.169.254/latest')).rejects.toThrow(/not a public address/);
    await expect(check('https://localhost/c')).rejects.toThrow(/loopback/);
    await expect(check('https://app.localhost/c')).rejects.toThrow(/loopback/);
    await expect(check('https://internal.example/c', async () => ['93.184.215.14', '10.0.0.5'])).rejects.toThrow(/non-public address \(10\.0\.0\.5\)/);
    await expect(check('https://gone.example/c', async () => { throw new Error('ENOTFOUND'); })).rejects.toThrow(/does not resolve/);
    await expect(check('https://empty.example/c', async () => [])).rejects.toThrow(/does not resolve/);
    await expect(check('https://client.example/c')).resolves.toBeUndefined();
    await expect(check('https://93.184.215.14/c')).resolves.toBeUndefined();
    // Loopback http is the one loopback allowed (a development server bound to loopback).
    await expect(check('http://127.0.0.1:9/c')).resolves.toBeUndefined();
    await expect(check('http://10.0.0.1/c')).rejects.toBeInstanceOf(CimdError);
  });
});

describe('metadata document rules', () => {
  const v = (d: Record<string, unknown>) => validateMetadataDocument(ID, d, SCOPES, OIDC);
  it('turns a valid document into public code-flow client metadata with the DCR scopes', () => {
    const m = v(doc({ scope: 'profile anything', grant_types: ['authorization_code', 'implicit'] }));
    expect(m).toMatchObject({
      client_id: ID, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'],
      application_type: 'native', mcp_scopes: 'mcp:tools mcp:admin', scope: 'openid offline_access',
    });
  });
  it('requires client_id to equal the URL exactly', () => {
    expect(() => v(doc({ client_id: `${ID}/` }))).toThrow(/does not equal/);
    expect(() => v(doc({ client_id: 'https://CLIENT.example/oauth/metadata.json' }))).toThrow(/does not equal/);
    expect(() => v({ redirect_uris: ['http://127.0.0.1/cb'] })).toThrow(/does not equal/);
  });
  it('requires redirect_uris', () => {
    expect(() => v(doc({ redirect_uris: undefined }))).toThrow(/redirect_uris/);
    expect(() => v(doc({ redirect_uris: [] }))).toThrow(/redirect_uris/);
    expect(() => v(doc({ redirect_uris: ['not a url'] }))).toThrow(/redirect_uris/);
  });
  it('public unless the document has jwks; no shared secrets', () => {
    expect(() => v(doc({ token_endpoint_auth_method: 'client_secret_basic' }))).toThrow(/not allowed/);
    expect(() => v(doc({ token_endpoint_auth_method: 'client_secret_post' }))).toThrow(/not allowed/);
    expect(() => v(doc({ token_endpoint_auth_method: 'private_key_jwt' }))).toThrow(/not allowed/);
    expect(v(doc({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [] } })).token_endpoint_auth_method).toBe('private_key_jwt');
    expect(() => v(doc({ client_secret: 'x' }))).toThrow(/client_secret/);
    expect(() => v(doc({ client_secret_expires_at: 0 }))).toThrow(/client_secret_expires_at/);
  });
  it('refuses metadata that would make the server fetch more URLs', () => {
    expect(() => v(doc({ jwks_uri: 'https://client.example/jwks' }))).toThrow(/jwks_uri/);
    expect(() => v(doc({ sector_identifier_uri: 'https://client.example/s' }))).toThrow(/sector_identifier_uri/);
  });
  it('cache lifetime: max-age capped, no-store not cached', () => {
    expect(cacheTtl(null, 3600)).toBe(300);
    expect(cacheTtl('public, max-age=60', 3600)).toBe(60);
    expect(cacheTtl('max-age=999999', 3600)).toBe(3600);
    expect(cacheTtl('no-store', 3600)).toBe(0);
  });
});

describe('resolver: bounded fetch and cache', () => {
  const policy = { allowedScopes: SCOPES, oidcScopes: OIDC };
  const serve = (body: string, headers: Record<string, string> = {}, status = 200) => {
    let calls = 0;
    const fetchImpl = async () => { calls += 1; return new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } }); };
    return { fetchImpl, calls: () => calls };
  };

  it('caches documents, re-fetching after the TTL', async () => {
    const s = serve(JSON.stringify(doc()), { 'cache-control': 'max-age=0' });
    const r = createCimdResolver(policy, { fetch: s.fetchImpl, lookup: publicDns });
    await r.find(ID); await r.find(ID);
    expect(s.calls()).toBe(2); // max-age=0: not cached
    const c = serve(JSON.stringify(doc()));
    const cached = createCimdResolver(policy, { fetch: c.fetchImpl, lookup: publicDns });
    await cached.find(ID); await cached.find(ID);
    expect(c.calls()).toBe(1);
  });

  it('keeps at most maxEntries documents', async () => {
    let calls = 0;
    const fetchImpl = async (u: string) => { calls += 1; return new Response(JSON.stringify({ ...doc(), client_id: u })); };
    const r = createCimdResolver(policy, { fetch: fetchImpl, lookup: publicDns, maxEntries: 2 });
    for (const n of [1, 2, 3, 1]) await r.find(`https://client.example/c${n}`);
    expect(calls).toBe(4); // c1 was evicted by c3
  });

  it('refuses oversized, non-200 (redirects included), non-JSON and non-object documents as invalid_client', async () => {
    const cases: [string, Record<string, string>, number, RegExp][] = [
      [JSON.stringify({ ...doc(), pad: 'x'.repeat(6000) }), {}, 200, /too large/],
      ['', { location: 'https://elsewhere.example/x' }, 302, /HTTP 302/],
      ['<html>', {}, 200, /JSON/],
      ['[1]', {}, 200, /JSON object/],
    ];
    for (const [body, headers, status, why] of cases) {
      const r = createCimdResolver(policy, { fetch: serve(body, headers, status).fetchImpl, lookup: publicDns });
      await expect(r.find(ID)).rejects.toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(why) });
    }
    const bad = createCimdResolver(policy, { fetch: serve(JSON.stringify(doc({ client_id: 'https://other.example/x' }))).fetchImpl, lookup: publicDns });
    await expect(bad.find(ID)).rejects.toMatchObject({ error: 'invalid_client_metadata' });
    const ssrf = createCimdResolver(policy, { fetch: serve(JSON.stringify(doc())).fetchImpl, lookup: async () => ['192.168.0.10'] });
    await expect(ssrf.find(ID)).rejects.toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/non-public/) });
  });

  it('times out a slow server', async () => {
    const fetchImpl = (_u: string, init?: RequestInit) => new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
    });
    const r = createCimdResolver(policy, { fetch: fetchImpl, lookup: publicDns, timeoutMs: 50 });
    await expect(r.find(ID)).rejects.toMatchObject({ error: 'invalid_client' });
  });
});

describe('a CIMD client through the development AS (document on loopback http)', () => {
  let docs: Server;
  let as: DevAuthServer;
  let base: string;
  const served = new Map<string, Record<string, unknown>>();

  beforeAll(async () => {
    docs = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      if (!body) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => docs.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
    as = await createDevAuthServer({ resource: RESOURCE, port: 0, host: '127.0.0.1', env: ENV, log: () => {} });
  });
  afterAll(async () => {
    await as?.close();
    await new Promise((resolve) => docs.close(resolve));
  });

  it('advertises client_id_metadata_document_supported', async () => {
    const meta = (await (await fetch(`${as.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(meta.client_id_metadata_document_supported).toBe(true);
  });

  it('login + consent (pages show client_name), code + PKCE, token for the resource with the URL as client_id', async () => {
    const clientId = `${base}/clients/good.json`;
    const redirectUri = 'http://127.0.0.1:41234/callback';
    served.set('/clients/good.json', { client_id: clientId, client_name: 'CIMD <Test> App', redirect_uris: [redirectUri] });

    // The pages name the client by the document's client_name, flagged as the app's own claim.
    const q = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'mcp:tools',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const go = browser();
    const res = await go(`${as.issuer}/auth?${q}`);
    const login = await (await go(new URL(res.headers.get('location')!, as.issuer).href)).text();
    expect(login).toContain('to continue to <b>CIMD &lt;Test&gt; App</b>');
    expect(login).toContain('(metadata document;');

    // Consent is required (authorize() walks the Allow form), then the code is redeemed with PKCE.
    const { callback, verifier } = await authorize(as.issuer, {
      clientId, redirectUri, scope: 'mcp:tools mcp:admin', resource: RESOURCE, username: 'alice', password: ENV.MCP_DEMO_ALICE_PASSWORD,
    });
    const r = await redeemCode(as.issuer, clientId, callback, verifier, redirectUri);
    expect(r.status).toBe(200);
    const at = await verifyAccessToken(as.issuer, String(r.json.access_token));
    expect(at).toMatchObject({ aud: RESOURCE, sub: 'alice', client_id: clientId, scope: 'mcp:tools' });
  });

  it('refuses a redirect_uri the document does not list, and a bad or missing document', async () => {
    const clientId = `${base}/clients/strict.json`;
    served.set('/clients/strict.json', { client_id: clientId, redirect_uris: ['https://app.example/cb'] });
    const auth = (id: string, redirectUri: string) => fetch(`${as.issuer}/auth?${new URLSearchParams({
      client_id: id, response_type: 'code', redirect_uri: redirectUri, scope: 'mcp:tools',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`, { redirect: 'manual' });
    let res = await auth(clientId, 'https://evil.example/cb');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^invalid_redirect_uri/);

    served.set('/clients/mismatch.json', { client_id: `${base}/clients/other.json`, redirect_uris: ['https://app.example/cb'] });
    res = await auth(`${base}/clients/mismatch.json`, 'https://app.example/cb');
    expect(await res.text()).toMatch(/^invalid_client_metadata: client_id metadata document invalid: client_id in the metadata document does not equal/);

    res = await auth(`${base}/clients/missing.json`, 'https://app.example/cb');
    expect(await res.text()).toMatch(/^invalid_client: .*HTTP 404/);

    res = await auth('https://127.0.0.1/clients/x.json', 'https://app.example/cb');
    expect(await res.text()).toMatch(/^invalid_client: .*not a public address/);
  });
});
