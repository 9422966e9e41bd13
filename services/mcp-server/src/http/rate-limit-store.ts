/**
 * express-rate-limit's Store over the StateStore counters, so the per-subject bucket counts
 * across replicas (REDIS_URL) with the same client and keys as everything else shared. Chosen
 * over `rate-limit-redis`: no second Redis client or dependency, and the same code runs on the
 * memory store. Windows are fixed and aligned to the epoch (key `rl:<key>:<window index>`),
 * so every replica agrees on when a window resets without asking Redis for a TTL.
 */
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { StateStore } from '../state/store.js';

/** A rate-limit Store whose counts every replica shares. */
export class SharedRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(private readonly store: StateStore, readonly prefix = 'rl:', private readonly now: () => number = Date.now) {}

  init(options: Options): void { this.windowMs = options.windowMs; }

  async increment(key: string): Promise<IncrementResponse> {
    const { k, resetTime } = this.window(key);
    // The TTL outlives the window a little, so a slow replica's late increment still expires.
    const totalHits = await this.store.increment(k, 1, resetTime.getTime() - this.now() + 1000);
    return { totalHits, resetTime };
  }

  async decrement(key: string): Promise<void> {
    const { k, resetTime } = this.window(key);
    await this.store.increment(k, -1, resetTime.getTime() - this.now() + 1000);
  }

  async resetKey(key: string): Promise<void> {
    await this.store.delete(this.window(key).k);
  }

  private window(key: string): { k: string; resetTime: Date } {
    const index = Math.floor(this.now() / this.windowMs);
    return { k: `${this.prefix}${key}:${index}`, resetTime: new Date((index + 1) * this.windowMs) };
  }
}
