/**
 * Rate limits as configured through the environment (MCP_RATE_LIMIT_*), with real tokens:
 * one bucket per authenticated subject (standard RateLimit / RateLimit-Policy headers,
 * draft-8, and Retry-After on 429), and the failed-authentication throttle, which acts only
 * on requests whose credentials were rejected and never refuses a valid token.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FailedAuthThrottle } from '../../src/http/failed-auth.js';
import { modernBody, modernHeaders, openStream, type Stream } from '../helpers/http.js';
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
const TOO_MANY = (what: string) => ({ jsonrpc: '2.0', id: null, error: { code: -32000, message: `Too many ${what}; retry after the time in the Retry-After header` } });

describe('per-subject request bucket', () => {
  it('429 with Retry-After and RateLimit headers once a subject exceeds its bucket; another subject on the same IP is unaffected', async () => {
    h = await startOAuthServer({ env: ENV });
    const alice = `Bearer ${await h.token('alice')}`;
    let alicePk = '';
    for (let i = 0; i < 3; i++) {
      const r = await call(h, alice);
      expect(r.status).toBe(200);
      expect(r.headers.ratelimit).toMatch(remaining(['requests', 2 - i]));
      const m = policy(['requests', 3]).exec(r.headers['ratelimit-policy'] as string);
      expect(m).not.toBeNull();
      alicePk = m![1]!;
    }
    // A fresh token for the same subject draws from the same bucket.
    const limited = await call(h, `Bearer ${await h.token('alice', { client_id: 'other-app' })}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers.ratelimit).toMatch(remaining(['requests', 0]));
    expect(limited.headers['ratelimit-policy']).toMatch(policy(['requests', 3]));
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.body).toEqual(TOO_MANY('requests'));

    const bob = await call(h, `Bearer ${await h.token('bob')}`);
    expect(bob.status).toBe(200);
    expect(bob.headers.ratelimit).toMatch(remaining(['requests', 2]));
    const m = policy(['requests', 3]).exec(bob.headers['ratelimit-policy'] as string);
    expect(m![1]).not.toBe(alicePk); // a different subject bucket
  });
});

const tamper = (good: string) => {
  const sig = good.lastIndexOf('.') + 10; // flip a character inside the signature
  return `${good.slice(0, sig)}${good[sig] === 'A' ? 'B' : 'A'}${good.slice(sig + 1)}`;
};
const timed = async <T>(p: PromiseLike<T>): Promise<[T, number]> => { const t0 = Date.now(); const r = await p; return [r, Date.now() - t0]; };

describe('failed-authentication throttle per address', () => {
  // Two free failures per 1 s window, then failure answers 400 ms apart: two fit in the window.
  const THROTTLE = { ...ENV, MCP_RATE_LIMIT_MAX: '100', MCP_RATE_LIMIT_WINDOW_MS: '1000', MCP_AUTH_FAILURE_DELAY_MS: '400' };

  it('counts only rejected credentials: probes without credentials and step-up 403s never count', async () => {
    h = await startOAuthServer({ env: THROTTLE });
    for (let i = 0; i < 5; i++) expect((await call(h)).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await call(h, `Bearer ${await h.token(`bob${i}`, { scope: 'mcp:tools' })}`, 'admin_reset_stats')).status).toBe(403);
    // Two rejected tokens are answered at once with the usual challenge.
    for (const bad of [tamper(await h.token('alice')), 'garbage']) {
      const [r, ms] = await timed(call(h, `Bearer ${bad}`));
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/invalid_token/);
      expect(ms).toBeLessThan(350);
    }
  });

  it('past the limit, failures are answered slowly, then 429 naming the limit; a valid token is never refused or slowed', async () => {
    h = await startOAuthServer({ env: THROTTLE });
    const url = h.origin;
    for (let i = 0; i < 2; i++) expect((await call(h, 'Bearer garbage')).status).toBe(401);
    // Three more failures at once: the first two get their 401 400 ms apart, the third would
    // be answered after the window ends, so it is refused at once.
    const started = Date.now();
    const done: number[] = [];
    const results = await Promise.all([0, 1, 2].map(async () => { const r = await call(h!, 'Bearer garbage'); done.push(Date.now() - started); return r; }));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 429]);
    const refused = results.find((r) => r.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['www-authenticate']).toBeUndefined();
    expect(refused.body.error).toMatchObject({ code: -32000, data: { code: 'ERR_FAILED_AUTH_LIMIT', limit: 'MCP_RATE_LIMIT_FAILED_AUTH_MAX', max: 2 } });
    expect(refused.body.error.message).toMatch(/MCP_RATE_LIMIT_FAILED_AUTH_MAX/);
    expect(Math.max(...done)).toBeGreaterThanOrEqual(750);
    // The same address with a valid token, meanwhile: served at once.
    const [ok, ms] = await timed(call(h, `Bearer ${await h.token('alice')}`));
    expect(ok.status).toBe(200);
    expect(ms).toBeLessThan(350);
    // X-Forwarded-For is not trusted (MCP_TRUST_PROXY=false): it does not pick another bucket.
    const spoofed = await call(h, 'Bearer x', 'get_time', { 'x-forwarded-for': '203.0.113.9' });
    expect([401, 429]).toContain(spoofed.status);
    expect(spoofed.status === 429 || Date.now() - started >= 250).toBe(true);
    // Discovery stays reachable.
    expect((await request(url).get('/.well-known/oauth-protected-resource/mcp')).status).toBe(200);
  });

  it('open or abandoned streams from one address are not failures: valid and invalid requests are answered normally', async () => {
    h = await startOAuthServer({ env: { ...ENV, MCP_RATE_LIMIT_MAX: '100' } });
    const token = await h.token('alice');
    const streams: Stream[] = [];
    const body = JSON.stringify(modernBody('subscriptions/listen', { notifications: { toolsListChanged: true } }));
    try {
      for (let i = 0; i < 5; i++) {
        const s = openStream(`${h.origin}/mcp`, { headers: { ...modernHeaders('subscriptions/listen'), authorization: `Bearer ${token}` }, body });
        await s.until((m) => m.length >= 1);
        streams.push(s);
      }
      streams[0]!.req.destroy(); streams[1]!.req.destroy(); // the client went away
      await new Promise((r) => setTimeout(r, 50));
      expect((await call(h, `Bearer ${token}`)).status).toBe(200);
      const [bad, ms] = await timed(call(h, 'Bearer garbage'));
      expect(bad.status).toBe(401);
      expect(ms).toBeLessThan(350);
    } finally {
      for (const s of streams) s.req.destroy();
    }
  });
});

describe('FailedAuthThrottle', () => {
  it('answers `limit` failures, then spaces answers by the delay, then refuses until the window ends', () => {
    let now = 0;
    const t = new FailedAuthThrottle({ windowMs: 10_000, limit: 2, delayMs: 3000, now: () => now });
    expect(t.fail('a')).toEqual({ kind: 'answer' });
    expect(t.fail('a')).toEqual({ kind: 'answer' });
    expect(t.fail('b')).toEqual({ kind: 'answer' }); // another address has its own count
    expect(t.fail('a')).toEqual({ kind: 'delay', ms: 3000 });
    expect(t.fail('a')).toEqual({ kind: 'delay', ms: 6000 });
    expect(t.fail('a')).toEqual({ kind: 'delay', ms: 9000 });
    expect(t.fail('a')).toEqual({ kind: 'refuse', retryAfterMs: 10_000 });
    now = 10_000;
    expect(t.fail('a')).toEqual({ kind: 'answer' });
  });

  it('keeps at most maxAddresses entries, dropping the oldest', () => {
    const t = new FailedAuthThrottle({ windowMs: 60_000, limit: 1, delayMs: 10, maxAddresses: 3, now: () => 0 });
    for (const a of ['a', 'b', 'c', 'd']) t.fail(a);
    expect(t.size).toBe(3);
    expect(t.fail('a')).toEqual({ kind: 'answer' }); // forgotten, so counted afresh
  });

  it('rejects non-positive settings', () => {
    expect(() => new FailedAuthThrottle({ windowMs: 1000, limit: 0, delayMs: 1 })).toThrow(/limit/);
  });
});
