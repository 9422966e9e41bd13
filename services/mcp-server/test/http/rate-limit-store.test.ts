/** The shared rate-limit store and failed-auth counts over the StateStore (several replicas). */
import { describe, expect, it } from '@jest/globals';
import type { Options } from 'express-rate-limit';
import { MemoryStore } from '../../src/state/index.js';
import { SharedRateLimitStore } from '../../src/http/rate-limit-store.js';
import { FailedAuthThrottle } from '../../src/http/failed-auth.js';

describe('SharedRateLimitStore', () => {
  it('counts one key across instances in one epoch-aligned window', async () => {
    let now = 120_500;
    const shared = new MemoryStore({ sweepMs: 0, now: () => now });
    const a = new SharedRateLimitStore(shared, 'rl:', () => now);
    const b = new SharedRateLimitStore(shared, 'rl:', () => now);
    for (const s of [a, b]) s.init({ windowMs: 60_000 } as Options);
    expect((await a.increment('sub:x')).totalHits).toBe(1);
    const r = await b.increment('sub:x');
    expect(r).toEqual({ totalHits: 2, resetTime: new Date(180_000) });
    await b.decrement('sub:x');
    expect((await a.increment('sub:x')).totalHits).toBe(2);
    now = 180_000;
    expect((await a.increment('sub:x')).totalHits).toBe(1);
    await shared.close();
  });
});

describe('FailedAuthThrottle with a shared store', () => {
  it('takes failures counted on other replicas into account', async () => {
    const shared = new MemoryStore({ sweepMs: 0 });
    const opts = { windowMs: 60_000, limit: 3, delayMs: 1000, shared };
    const r1 = new FailedAuthThrottle(opts);
    const r2 = new FailedAuthThrottle(opts);
    const r3 = new FailedAuthThrottle(opts);
    expect(r1.fail('1.2.3.4').kind).toBe('answer');
    await new Promise((r) => setTimeout(r, 10));
    expect(r2.fail('1.2.3.4').kind).toBe('answer');
    await new Promise((r) => setTimeout(r, 10));
    expect(r3.fail('1.2.3.4').kind).toBe('answer');
    await new Promise((r) => setTimeout(r, 10));
    // r1 learns the shared count with its next failure's round trip (the verdict stays
    // synchronous): its next one is over the shared limit although it saw only two itself.
    expect(r1.fail('1.2.3.4').kind).toBe('answer');
    await new Promise((r) => setTimeout(r, 10));
    expect(r1.fail('1.2.3.4').kind).toBe('delay');
    await shared.close();
  });
});
