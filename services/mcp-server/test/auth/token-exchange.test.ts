import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../src/auth/errors.js';
import type { AuthError } from '../../src/auth/errors.js';
import { createPrincipal } from '../../src/auth/principal.js';
import type { Principal } from '../../src/auth/principal.js';
import { createTokenExchanger } from '../../src/auth/token-exchange.js';
import type { TokenExchangerOptions } from '../../src/auth/token-exchange.js';
import { form, startFakeAs } from './support/fake-as.js';
import type { FakeAs } from './support/fake-as.js';

let as: FakeAs;
let t: number;
let issued: number;
const caller = (token: string, expiresAt?: number): Principal =>
  createPrincipal({ subject: 'alice', scopes: [], claims: {}, ...(expiresAt ? { expiresAt } : {}) }, token);
const exchanger = (extra: Partial<TokenExchangerOptions> = {}) => createTokenExchanger({
  issuer: as.issuer, clientId: 'mcp-rs', clientAuth: { method: 'client_secret_basic', clientSecret: 'pw' },
  now: () => t, ...extra,
});

beforeEach(async () => {
  t = Date.UTC(2030, 0, 1);
  issued = 0;
  as = await startFakeAs();
  as.routes.set('/.well-known/oauth-authorization-server', () => ({
    json: { issuer: as.issuer, token_endpoint: `${as.origin}/token` },
  }));
  as.routes.set('/token', (req) => {
    const f = form(req);
    if (f.get('audience') === 'forbidden') return { status: 400, json: { error: 'invalid_target' } };
    issued++;
    return { json: {
      access_token: `downstream-${issued}`, token_type: 'Bearer', expires_in: 300,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', scope: f.get('scope') ?? undefined,
    } };
  });
});
afterEach(() => as.close());

describe('token exchange (RFC 8693)', () => {
  it('sends the RFC 8693 parameters and returns the downstream token', async () => {
    const tok = await exchanger().exchange(caller('caller-token'), { audience: 'files-api', scope: 'files:read' });
    expect(tok).toEqual({
      accessToken: 'downstream-1', tokenType: 'Bearer', scope: 'files:read',
      issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token', expiresAt: Math.floor(t / 1000) + 300,
    });
    const f = form(as.requests.find((r) => r.path === '/token')!);
    expect(f.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(f.get('subject_token')).toBe('caller-token');
    expect(f.get('subject_token_type')).toBe('urn:ietf:params:oauth:token-type:access_token');
    expect(f.get('audience')).toBe('files-api');
  });

  it('caches per (caller token, target) until shortly before expiry', async () => {
    const x = exchanger({ expiryMarginSeconds: 30 });
    const alice = caller('tok-a');
    await x.exchange(alice, { audience: 'files-api' });
    expect((await x.exchange(alice, { audience: 'files-api' })).accessToken).toBe('downstream-1');
    expect((await x.exchange(alice, { resource: 'https://files.example.com' })).accessToken).toBe('downstream-2');
    expect((await x.exchange(caller('tok-b'), { audience: 'files-api' })).accessToken).toBe('downstream-3');
    t += 270_000; // 300 s - 30 s margin
    expect((await x.exchange(alice, { audience: 'files-api' })).accessToken).toBe('downstream-4');
  });

  it("never caches past the caller's own expiry", async () => {
    const x = exchanger();
    const short = caller('tok-s', Math.floor(t / 1000) + 10);
    await x.exchange(short, { audience: 'files-api' });
    t += 10_000;
    expect((await x.exchange(short, { audience: 'files-api' })).accessToken).toBe('downstream-2');
  });

  it('maps refusals and outages to distinct errors', async () => {
    const err = await exchanger().exchange(caller('t'), { audience: 'forbidden' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'token_exchange_failed', status: 502 });
    expect((err as AuthError).reason).toContain('invalid_target');
    await as.close();
    const down = await exchanger().exchange(caller('t'), { audience: 'x' }).catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'issuer_unavailable' });
  });

  it('refuses principals not created by a verifier and requests without a target', async () => {
    const forged: Principal = { subject: 'x', scopes: [], claims: {} };
    await expect(exchanger().exchange(forged, { audience: 'a' })).rejects.toMatchObject({ code: 'token_exchange_failed' });
    await expect(exchanger().exchange(caller('t'), {})).rejects.toBeInstanceOf(ConfigurationError);
  });
});
