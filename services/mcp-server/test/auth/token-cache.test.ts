import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../src/auth/errors.js';
import { createTokenCache, hashToken } from '../../src/auth/token-cache.js';

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

  it('validates maxEntries', () => {
    expect(() => createTokenCache({ maxEntries: 0 })).toThrow(ConfigurationError);
    expect(() => createTokenCache({ maxEntries: 1.5 })).toThrow(ConfigurationError);
  });
});
