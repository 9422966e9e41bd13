import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../src/auth/errors.js';
import { createTokenCache, ENTRY_OVERHEAD_BYTES, hashToken, stringBytes } from '../../src/auth/token-cache.js';

describe('token cache', () => {
  it('keys by SHA-256 and never stores the token text', () => {
    const cache = createTokenCache<{ v: number }>();
    cache.set('secret-token', { v: 1 }, Date.now() + 1000);
    expect(cache.get('secret-token')).toEqual({ v: 1 });
    expect(hashToken('secret-token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cache.getByKey(hashToken('secret-token'))).toEqual({ v: 1 });
    expect(cache.getByKey('secret-token')).toBeUndefined();
  });

  it('expires entries exactly at their expiry with an injected clock', () => {
    let t = 1_000;
    const cache = createTokenCache<string>({ now: () => t });
    cache.set('a', 'A', 2_000);
    t = 1_999;
    expect(cache.get('a')).toBe('A');
    t = 2_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set('b', 'B', 2_000); // already expired: not stored
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry', () => {
    const cache = createTokenCache<string>({ maxEntries: 2, now: () => 0 });
    cache.set('a', 'A', 10);
    cache.set('b', 'B', 10);
    expect(cache.get('a')).toBe('A'); // a becomes most recent
    cache.set('c', 'C', 10);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.size).toBe(2);
    cache.delete('a');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('evicts least recently used entries past the estimated byte budget', () => {
    const cache = createTokenCache<string>({ maxBytes: 3 * ENTRY_OVERHEAD_BYTES + 300, sizeOf: (v) => v.length, now: () => 0 });
    cache.set('a', 'x'.repeat(100), 10);
    cache.set('b', 'x'.repeat(100), 10);
    cache.set('c', 'x'.repeat(100), 10);
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * ENTRY_OVERHEAD_BYTES + 300);
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('d', 'x'.repeat(150), 10); // 150 over budget: b (LRU) and then c go
    expect([cache.get('b'), cache.get('c')]).toEqual([undefined, undefined]);
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('d')).toBeDefined();
    expect(cache.bytes).toBe(2 * ENTRY_OVERHEAD_BYTES + 250);
  });

  it('does not store a value larger than the whole budget, and keeps the byte count exact', () => {
    let t = 0;
    const cache = createTokenCache<string>({ maxBytes: 1000, sizeOf: (v) => v.length, now: () => t });
    cache.set('small', 'x', 10);
    cache.set('huge', 'x'.repeat(1000), 10);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('small')).toBe('x'); // not flushed by the oversized value
    cache.set('small', 'xy', 10); // replacing counts once
    expect(cache.bytes).toBe(ENTRY_OVERHEAD_BYTES + 2);
    t = 10;
    expect(cache.get('small')).toBeUndefined(); // expired
    expect(cache.bytes).toBe(0);
    cache.set('a', 'x', 20);
    cache.delete('a');
    expect(cache.bytes).toBe(0);
    cache.set('a', 'x', 20);
    cache.clear();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
  });

  it('estimates strings at two bytes a character plus a header', () => {
    expect(stringBytes(undefined)).toBe(0);
    expect(stringBytes('abc')).toBe(22);
  });

  it('validates maxEntries and maxBytes', () => {
    expect(() => createTokenCache({ maxBytes: 0 })).toThrow(ConfigurationError);
    expect(() => createTokenCache({ maxEntries: 0 })).toThrow(ConfigurationError);
    expect(() => createTokenCache({ maxEntries: 1.5 })).toThrow(ConfigurationError);
  });
});
