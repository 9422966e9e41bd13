/**
 * Rate limits as configured through the environment (MCP_RATE_LIMIT_*), with real tokens:
 * one bucket per authenticated subject, and a per-IP bucket that only rejected credentials
 * fill. Standard RateLimit / RateLimit-Policy headers (draft-8) and Retry-After on 429.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

const ENV = { MCP_RATE_LIMIT_MAX: '3', MCP_RATE_LIMIT_FAILED_AUTH_MAX: '2', MCP_RATE_LIMIT_WINDOW_MS: '60000' };
let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const call = (srv: Harness, authorization?: string, tool = 'get_time', extra: Record<string, string> = {}) => {
  let r = request(srv.origin).post('/mcp').set(modernHeaders('tools/call', tool)).set(extra);
  if (authorization !== undefined) r = r.set('authorization', authorization);
  return r.send(JSON.stringify(modernBody('tools/call', { name: tool, arguments: tool === 'admin_reset_stats' ? { confirm: true } : {} })));
};
// draft-8 structured fields; pk is a partition key (a hash of the bucket key).
const PK = 'pk=:([A-Za-z0-9+/=]+):';
const policy = (...buckets: [string, number][]) => new RegExp(`^${buckets.map(([n, q]) => `"${n}"; q=${q}; w=60; ${PK}`).join(', ')}$`);
const remaining = (...buckets: [string, number][]) => new RegExp(`^${buckets.map(([n, r]) => `"${n}"; r=${r}; t=\\d+`).join(', ')}$`);
// The failed-auth figure is computed before a successful request is refunded, so honest
// requests always see one less than the limit there (express-rate-limit skipSuccessfulRequests).
const TOO_MANY = (what: string) => ({ jsonrpc: '2.0', id: null, error: { code: -32000, message: `Too many ${what}; retry after the time in the Retry-After header` } });

describe('per-subject request bucket', () => {
  it('429 with Retry-After and RateLimit headers once a subject exceeds its bucket; another subject on the same IP is unaffected', async () => {
    h = await startOAuthServer({ env: ENV });
    const alice = `Bearer ${await h.token('alice')}`;
    let alicePk = '';
    let ipPk = '';
    for (let i = 0; i < 3; i++) {
      const r = await call(h, alice);
      expect(r.status).toBe(200);
      expect(r.headers.ratelimit).toMatch(remaining(['failed-auth', 1], ['requests', 2 - i]));
      const m = policy(['failed-auth', 2], ['requests', 3]).exec(r.headers['ratelimit-policy'] as string);
      expect(m).not.toBeNull();
      ipPk = m![1]!;
      alicePk = m![2]!;
    }
    // A fresh token for the same subject draws from the same bucket.
    const limited = await call(h, `Bearer ${await h.token('alice', { client_id: 'other-app' })}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers.ratelimit).toMatch(remaining(['failed-auth', 1], ['requests', 0]));
    expect(limited.headers['ratelimit-policy']).toMatch(policy(['failed-auth', 2], ['requests', 3]));
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.body).toEqual(TOO_MANY('requests'));

    const bob = await call(h, `Bearer ${await h.token('bob')}`);
    expect(bob.status).toBe(200);
    expect(bob.headers.ratelimit).toMatch(remaining(['failed-auth', 1], ['requests', 2]));
    const m = policy(['failed-auth', 2], ['requests', 3]).exec(bob.headers['ratelimit-policy'] as string);
    expect(m![1]).toBe(ipPk); // the same per-IP bucket
    expect(m![2]).not.toBe(alicePk); // a different subject bucket
  });
});

describe('failed-authentication bucket per IP', () => {
  it('counts only rejected credentials: probes without credentials and step-up 403s never fill it', async () => {
    h = await startOAuthServer({ env: ENV });
    for (let i = 0; i < 5; i++) expect((await call(h)).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await call(h, `Bearer ${await h.token(`bob${i}`, { scope: 'mcp:tools' })}`, 'admin_reset_stats')).status).toBe(403);
    expect((await call(h, `Bearer ${await h.token('alice')}`)).status).toBe(200);

    const good = await h.token('alice');
    const sig = good.lastIndexOf('.') + 10; // flip a character inside the signature
    const bad = `${good.slice(0, sig)}${good[sig] === 'A' ? 'B' : 'A'}${good.slice(sig + 1)}`;
    expect((await call(h, `Bearer ${bad}`)).status).toBe(401);
    expect((await call(h, 'Bearer garbage')).status).toBe(401);
    const third = await call(h, 'Bearer garbage-again');
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(third.headers['ratelimit-policy']).toMatch(policy(['failed-auth', 2]));
    expect(third.headers.ratelimit).toMatch(remaining(['failed-auth', 0]));
    expect(third.headers['www-authenticate']).toBeUndefined();
    expect(third.body).toEqual(TOO_MANY('failed authentication attempts'));
    // The IP stays throttled for the window, whatever it sends; X-Forwarded-For is not trusted.
    expect((await call(h, `Bearer ${await h.token('alice')}`)).status).toBe(429);
    expect((await call(h, 'Bearer x', 'get_time', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    // Discovery stays reachable.
    expect((await request(h.origin).get('/.well-known/oauth-protected-resource/mcp')).status).toBe(200);
  });
});
