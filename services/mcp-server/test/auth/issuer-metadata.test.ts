import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { discoverIssuerMetadata, discoveryUrls } from '../../src/auth/issuer-metadata.js';
import { startFakeAs } from './support/fake-as.js';
import type { FakeAs } from './support/fake-as.js';

const f = (u: string, i?: RequestInit) => fetch(u, i);

describe('issuer metadata discovery (RFC 8414, OIDC Discovery, MCP order)', () => {
  it('derives the candidate URLs with and without a path', () => {
    expect(discoveryUrls('https://auth.example.com/tenant1')).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1',
      'https://auth.example.com/.well-known/openid-configuration/tenant1',
      'https://auth.example.com/tenant1/.well-known/openid-configuration',
    ]);
    expect(discoveryUrls('https://auth.example.com')).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server',
      'https://auth.example.com/.well-known/openid-configuration',
    ]);
  });

  let as: FakeAs;
  beforeEach(async () => {
    as = await startFakeAs('/realms/r');
  });
  afterEach(() => as.close());

  it.each([
    ['/.well-known/openid-configuration/realms/r'],
    ['/realms/r/.well-known/openid-configuration'],
  ])('falls back to %s', async (path) => {
    as.routes.set(path, () => ({ json: { issuer: as.issuer, jwks_uri: 'x' } }));
    const md = await discoverIssuerMetadata(as.issuer, f, 2000);
    expect(md.jwks_uri).toBe('x');
    expect(as.requests.at(-1)?.path).toBe(path);
  });

  it('skips documents for another issuer and non-JSON answers, then fails with every reason', async () => {
    as.routes.set('/.well-known/oauth-authorization-server/realms/r', () => ({ json: { issuer: 'https://x' } }));
    as.routes.set('/.well-known/openid-configuration/realms/r', () => ({ json: [1, 2] }));
    await expect(discoverIssuerMetadata(as.issuer, f, 2000)).rejects.toThrow(/names issuer "https:\/\/x".*JSON object.*404/);
  });

  it('fails on redirects instead of following them', async () => {
    as.routes.set('/.well-known/oauth-authorization-server/realms/r', () => ({
      status: 302, headers: { location: '/elsewhere' },
    }));
    await expect(discoverIssuerMetadata(as.issuer, f, 2000)).rejects.toThrow(/HTTP 302/);
  });
});
