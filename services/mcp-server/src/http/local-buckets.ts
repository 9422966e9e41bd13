/**
 * The per-subject request counts of one process, answered synchronously: what
 * express-rate-limit's MemoryStore counts (a window per key, opened by its first hit), without
 * its promise per request, its Date per key and its interval timer. The limiter awaits a store
 * only when one is shared (REDIS_URL) or given.
 *
 * Memory is bounded by the keys hit in the last two windows: keys live in `current` or
 * `previous`, and each rotation (at most once per window, on a hit) drops `previous`, whose
 * keys were last hit more than one window ago, so their windows have ended.
 */

/** A key's count in its current window. */
export interface BucketHit {
  /** Hits in the window, this one included. */
  readonly hits: number;
  /** When the window ends (epoch ms). */
  readonly resetAt: number;
}

interface Bucket { hits: number; resetAt: number }

/** Fixed windows per key, counted in this process. */
export class LocalBuckets {
  private current = new Map<string, Bucket>();
  private previous = new Map<string, Bucket>();
  private rotateAt: number;

  constructor(private readonly windowMs: number, private readonly now: () => number = Date.now) {
    if (!Number.isInteger(windowMs) || windowMs <= 0) throw new TypeError(`windowMs must be a positive integer, got ${windowMs}`);
    this.rotateAt = now() + windowMs;
  }

  /** Counts one hit for `key`; the returned object is the bucket's own, valid until the next call. */
  hit(key: string): BucketHit {
    const now = this.now();
    if (now >= this.rotateAt) {
      this.previous = this.current;
      this.current = new Map();
      this.rotateAt = now + this.windowMs;
    }
    let b = this.current.get(key);
    if (b === undefined) {
      b = this.previous.get(key);
      if (b !== undefined) {
        this.previous.delete(key);
        this.current.set(key, b);
      }
    }
    if (b === undefined) this.current.set(key, b = { hits: 0, resetAt: now + this.windowMs });
    else if (b.resetAt <= now) { b.hits = 0; b.resetAt = now + this.windowMs; }
    b.hits++;
    return b;
  }

  /** Keys held (both generations), for tests and gauges. */
  get size(): number { return this.current.size + this.previous.size; }
}
