/** The Redis StateStore against a real redis-server: the shared contract, outage and recovery. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectRedisStore, redact } from '../../src/state/redis-store.js';
import { StoreUnavailableError } from '../../src/state/index.js';
import { describeStoreContract } from './store-contract.js';
import { hasRedisServer, missingRedis, startRedis, type RedisProcess } from './redis-server.js';

const available = hasRedisServer();
if (!available) missingRedis('redis-store.test.ts');
const maybe = available ? describe : describe.skip;

let redis: RedisProcess;
let n = 0;
beforeAll(async () => { if (available) redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

maybe('RedisStore', () => {
  // Each store gets its own prefix, so tests never see each other's keys.
  describeStoreContract('RedisStore', {
    make: () => connectRedisStore({ url: redis.url, prefix: `t${++n}:` }),
    advance: (ms) => new Promise((r) => setTimeout(r, ms)),
  });

  it('fails closed while Redis is down and recovers by itself when it returns', async () => {
    const own = await startRedis();
    const store = await connectRedisStore({ url: own.url, prefix: 'o:' });
    const got: string[] = [];
    await store.subscribe('ch', (m) => got.push(m));
    await store.set('k', 'v', { ttlMs: 60_000 });
    await own.stop();
    await expect(store.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toMatchObject({ code: 'ERR_STATE_UNAVAILABLE' });
    const again = await startRedis(own.port);
    try {
      let ok = false;
      for (let i = 0; i < 60 && !ok; i++) { await new Promise((r) => setTimeout(r, 100)); ok = await store.ping().then(() => true, () => false); }
      expect(ok).toBe(true);
      // The subscriber connection re-subscribed on its own.
      for (let i = 0; i < 30 && got.length === 0; i++) { await store.publish('ch', 'back'); await new Promise((r) => setTimeout(r, 100)); }
      expect(got[0]).toBe('back');
    } finally { await store.close(); await again.stop(); }
  });

  it('refuses to start when Redis is unreachable, saying where', async () => {
    const dead = await startRedis(); await dead.stop();
    await expect(connectRedisStore({ url: dead.url, connectTimeoutMs: 500 })).rejects.toThrow(/not reachable/);
  });
});

describe('redact', () => {
  it('hides the password of a Redis URL', () => {
    expect(redact('rediss://:s3cret@redis:6380/0')).toBe('rediss://:***@redis:6380/0');
    expect(redact('redis://user:pw@h')).toBe('redis://user:***@h');
  });
});
