/**
 * The failed-authentication throttle. It replaces an express-rate-limit bucket that ran
 * before authentication, keyed by IP: that bucket refused valid tokens from an address once
 * 30 requests from it had failed (one attacker behind a NAT locked everyone out), and it
 * counted every request as a failure until its response finished, so 30 open streams from
 * one address made the next request 429.
 *
 * Here a failure is recorded only when authentication actually rejects presented
 * credentials (bearer-auth marks that refusal), never for a request without credentials
 * (every client's discovery request) nor for a 403 step-up, and never before the outcome is
 * known. A valid token is always verified and served: the throttle only acts on requests
 * that already failed. Past `limit` failures in a window, an address gets its failure
 * answers (the normal 401 challenge) spaced `delayMs` apart, however many connections it
 * opens — guessing slows to one answer per delay — and once that queue would reach past the
 * window it is answered 429 at once, with Retry-After. Memory: one small entry per address
 * with failures in the current window, at most `maxAddresses` (oldest dropped first).
 *
 * Several replicas (`shared`): each failure is also counted in the shared store, in the same
 * epoch-aligned window, and the entry takes the larger of both counts, so an address's failures
 * spread over replicas trip the limit near `limit`, not replicas × `limit`. The verdict stays
 * synchronous, so a replica learns the shared count one failure late; spacing is per replica.
 */
import type { StateStore } from '../state/store.js';

/** Options for FailedAuthThrottle. */
export interface FailedAuthOptions {
  /** Window length in ms. */
  windowMs: number;
  /** Failures per window per address answered without delay. */
  limit: number;
  /** Spacing of failure answers to an address over the limit (ms). */
  delayMs: number;
  /** Addresses tracked at once (default 100 000). */
  maxAddresses?: number;
  /** The replicas' shared store; counts stay per replica without it (or while it is down). */
  shared?: StateStore;
  now?: () => number;
}

/** What to do with one failed request. */
export type FailedAuthVerdict =
  | { kind: 'answer' }
  | { kind: 'delay'; ms: number }
  | { kind: 'refuse'; retryAfterMs: number };

interface Entry { count: number; resetAt: number; nextSlot: number }

/** Counts failed authentications per address and decides how to answer the next one. */
export class FailedAuthThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private readonly now: () => number;
  private lastSweep = 0;
  private readonly shared?: StateStore;
  readonly windowMs: number;
  readonly limit: number;
  readonly delayMs: number;

  constructor(opts: FailedAuthOptions) {
    for (const k of ['windowMs', 'limit', 'delayMs'] as const) {
      if (!Number.isInteger(opts[k]) || opts[k] <= 0) throw new TypeError(`failed-auth ${k} must be a positive integer, got ${opts[k]}`);
    }
    this.windowMs = opts.windowMs;
    this.limit = opts.limit;
    this.delayMs = opts.delayMs;
    this.max = opts.maxAddresses ?? 100_000;
    this.now = opts.now ?? Date.now;
    this.shared = opts.shared;
  }

  /** Addresses with failures in their current window. */
  get size(): number { return this.entries.size; }

  /** Record one failed authentication from `address` and say how to answer it. */
  fail(address: string): FailedAuthVerdict {
    const t = this.now();
    let e = this.entries.get(address);
    if (!e || t >= e.resetAt) {
      if (e) this.entries.delete(address);
      // Expired entries go lazily, at most once a window: no timer to own or to stop.
      if (this.entries.size >= 1024 && t >= this.lastSweep + this.windowMs) { this.lastSweep = t; this.sweep(); }
      // Shared: windows aligned to the epoch, so every replica's window is the same one.
      const resetAt = this.shared ? (Math.floor(t / this.windowMs) + 1) * this.windowMs : t + this.windowMs;
      e = { count: 0, resetAt, nextSlot: 0 };
      this.entries.set(address, e);
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    e.count++;
    if (this.shared) this.share(address, e);
    if (e.count <= this.limit) return { kind: 'answer' };
    const slot = Math.max(t, e.nextSlot) + this.delayMs;
    if (slot > e.resetAt) return { kind: 'refuse', retryAfterMs: e.resetAt - t };
    e.nextSlot = slot;
    return { kind: 'delay', ms: slot - t };
  }

  private share(address: string, e: Entry): void {
    const ttl = e.resetAt - this.now() + 1000;
    this.shared!.increment(`fa:${address}:${e.resetAt}`, 1, ttl).then((n) => { if (n > e.count) e.count = n; }, () => { /* down: count here only */ });
  }

  /** Forget addresses whose window has ended. */
  sweep(): void {
    const t = this.now();
    for (const [k, e] of this.entries) if (t >= e.resetAt) this.entries.delete(k);
  }
}
