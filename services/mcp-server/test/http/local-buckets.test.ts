/** LocalBuckets: a window per key from its first hit, and memory bounded by two windows of keys. */
import { describe, expect, it } from '@jest/globals';
import { LocalBuckets } from '../../src/http/local-buckets.js';

describe('LocalBuckets', () => {
  it('counts per key within the window its first hit opened, then starts over', () => {
    let now = 0;
    const b = new LocalBuckets(1000, () => now);
    expect(b.hit('a')).toEqual({ hits: 1, resetAt: 1000 });
    now = 500;
    expect(b.hit('b')).toEqual({ hits: 1, resetAt: 1500 });
    expect(b.hit('a')).toEqual({ hits: 2, resetAt: 1000 });
    now = 1000;
    expect(b.hit('a')).toEqual({ hits: 1, resetAt: 2000 });
    now = 1499; // 'b' moved to the previous generation at the rotation, and keeps its count
    expect(b.hit('b')).toEqual({ hits: 2, resetAt: 1500 });
  });

  it('forgets keys not hit for two windows, so a stream of new subjects does not grow it', () => {
    let now = 0;
    const b = new LocalBuckets(100, () => now);
    for (let i = 0; i < 10_000; i++) {
      now = i;
      b.hit(`k${i}`);
    }
    // Keys hit in the last two windows at most (rotations at 100, 200, …).
    expect(b.size).toBeLessThanOrEqual(200);
    expect(b.hit('k9999').hits).toBe(2);
  });

  it('refuses a window that is not a positive integer', () => {
    expect(() => new LocalBuckets(0)).toThrow(/windowMs must be a positive integer/);
  });
});
