/**
 * The one store for per-client state that must be shared by every replica: sessions, task
 * records, quota and rate-limit counters, subscription fan-out, DPoP replay. Deliberately
 * small (strings under keys with a TTL, atomic counters, pub/sub) so that a memory map and
 * Redis implement it alike (memory-store.ts; the Redis one lives beside it), and callers
 * never learn which one they have.
 *
 * Every key expires: nothing a client makes the server keep can outlive its TTL, and a
 * store also caps how many keys it holds (a refused write throws StoreFullError).
 */

/** Options of a write. */
export interface SetOptions {
  /** Time to live in milliseconds; required, since nothing a client creates may stay forever. */
  readonly ttlMs: number;
  /** Write only when the key is absent (an atomic claim); `set` then returns false if it was there. */
  readonly ifAbsent?: boolean;
  /** Write only when the key exists (a refresh that must not bring back a deleted key); `set` then returns false if it was gone. */
  readonly ifPresent?: boolean;
}

/** A message listener; messages are delivered in order per channel, on every replica. */
export type MessageListener = (message: string) => void;

/** Shared state: see the module comment. */
export interface StateStore {
  /** The value under a key, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Write a value with a TTL; false only when the `ifAbsent`/`ifPresent` condition did not hold. */
  set(key: string, value: string, opts: SetOptions): Promise<boolean>;
  /** Remove a key; true when it existed. */
  delete(key: string): Promise<boolean>;
  /**
   * Add `by` (may be negative) to an integer counter and return the new value. A missing key
   * starts at 0 and gets `ttlMs`; an existing one keeps its expiry (a fixed window).
   */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  /** Send a message to every subscriber of the channel, on every replica (this one included). */
  publish(channel: string, message: string): Promise<void>;
  /** Listen on a channel; resolves once subscribed, with the function that stops listening. */
  subscribe(channel: string, listener: MessageListener): Promise<() => Promise<void>>;
  /** Resolves when the store answers (readiness); rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Release connections and timers. */
  close(): Promise<void>;
}
