/** The memory StateStore: the shared contract, plus its key cap and sweep. */
import { describe, expect, it } from '@jest/globals';
import { MemoryStore, StoreFullError } from '../../src/state/index.js';
import { describeStoreContract } from './store-contract.js';

let clock = 0;
describeStoreContract('MemoryStore', {
  make: async () => new MemoryStore({ sweepMs: 0, now: () => clock }),
  advance: async (ms) => { clock += ms; },
});

describe('MemoryStore limits', () => {
  it('refuses a new key past maxKeys, after sweeping expired ones first', async () => {
    let now = 0;
    const store = new MemoryStore({ maxKeys: 2, sweepMs: 0, now: () => now });
    await store.set('a', '1', { ttlMs: 10 });
    await store.set('b', '2', { ttlMs: 1000 });
    await expect(store.set('c', '3', { ttlMs: 1000 })).rejects.toBeInstanceOf(StoreFullError);
    await store.set('b', 'overwrite is fine', { ttlMs: 1000 });
    now = 20; // 'a' expired: the sweep makes room
    await expect(store.set('c', '3', { ttlMs: 1000 })).resolves.toBe(true);
    expect(store.size).toBe(2);
    await expect(store.increment('d', 1, 1000)).rejects.toMatchObject({ code: 'ERR_STATE_FULL', maxKeys: 2 });
    await store.close();
  });
});
