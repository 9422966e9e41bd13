/**
 * The behaviour every StateStore must have, written once and run against each implementation
 * (memory here; Redis in its own test). `advance` moves time past a TTL: a fake clock for the
 * memory store, a real wait for Redis, so TTLs in these tests stay small.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StateStore } from '../../src/state/index.js';

/** How a contract run gets a fresh store and moves time. */
export interface StoreHarness {
  make(): Promise<StateStore>;
  advance(ms: number): Promise<void>;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

/** Registers the contract tests for one implementation. */
export function describeStoreContract(name: string, harness: StoreHarness): void {
  describe(`${name}: the StateStore contract`, () => {
    let store: StateStore;
    beforeEach(async () => { store = await harness.make(); });
    afterEach(async () => { await store.close(); });

    it('gets what was set, and nothing for a missing key', async () => {
      expect(await store.set('k1', 'v1', { ttlMs: 10_000 })).toBe(true);
      expect(await store.get('k1')).toBe('v1');
      expect(await store.get('missing')).toBeUndefined();
    });

    it('expires keys after their TTL', async () => {
      await store.set('short', 'x', { ttlMs: 100 });
      await store.set('long', 'y', { ttlMs: 60_000 });
      await harness.advance(150);
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('long')).toBe('y');
    });

    it('claims a key only once with ifAbsent', async () => {
      expect(await store.set('claim', 'a', { ttlMs: 10_000, ifAbsent: true })).toBe(true);
      expect(await store.set('claim', 'b', { ttlMs: 10_000, ifAbsent: true })).toBe(false);
      expect(await store.get('claim')).toBe('a');
    });

    it('refreshes a key only while it exists with ifPresent (a deleted key stays deleted)', async () => {
      expect(await store.set('refresh', 'a', { ttlMs: 10_000, ifPresent: true })).toBe(false);
      expect(await store.get('refresh')).toBeUndefined();
      await store.set('refresh', 'a', { ttlMs: 100 });
      expect(await store.set('refresh', 'b', { ttlMs: 10_000, ifPresent: true })).toBe(true);
      await harness.advance(150);
      expect(await store.get('refresh')).toBe('b');
      await store.delete('refresh');
      expect(await store.set('refresh', 'c', { ttlMs: 10_000, ifPresent: true })).toBe(false);
      expect(await store.get('refresh')).toBeUndefined();
    });

    it('deletes, saying whether the key existed', async () => {
      await store.set('d', 'x', { ttlMs: 10_000 });
      expect(await store.delete('d')).toBe(true);
      expect(await store.delete('d')).toBe(false);
      expect(await store.get('d')).toBeUndefined();
    });

    it('increments from zero and keeps the first expiry (a fixed window)', async () => {
      expect(await store.increment('n', 1, 200)).toBe(1);
      expect(await store.increment('n', 2, 60_000)).toBe(3);
      expect(await store.increment('n', -1, 60_000)).toBe(2);
      await harness.advance(250);
      expect(await store.increment('n', 1, 60_000)).toBe(1);
    });

    it('delivers published messages to every subscriber of the channel, in order, until unsubscribed', async () => {
      const a: string[] = [];
      const b: string[] = [];
      const stopA = await store.subscribe('ch', (m) => a.push(m));
      await store.subscribe('ch', (m) => b.push(m));
      await store.subscribe('other', () => { throw new Error('wrong channel'); });
      await store.publish('ch', 'one');
      await store.publish('ch', 'two');
      await tick();
      expect(a).toEqual(['one', 'two']);
      expect(b).toEqual(['one', 'two']);
      await stopA();
      await store.publish('ch', 'three');
      await tick();
      expect(a).toEqual(['one', 'two']);
      expect(b).toEqual(['one', 'two', 'three']);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('refuses a write without a positive TTL', async () => {
      await expect(store.set('k', 'v', { ttlMs: 0 })).rejects.toThrow(/ttlMs/);
    });
  });
}
