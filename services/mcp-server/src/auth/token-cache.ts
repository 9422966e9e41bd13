// A bounded LRU cache keyed by SHA-256 of the token. Storing only the digest means a heap
// dump or debug log of the cache never reveals a usable bearer token.
import { hash } from 'node:crypto';
import { checkPositiveInt } from './options.js';

/** Returns the base64url SHA-256 digest of a token, the only form in which tokens are keyed. */
export function hashToken(token: string): string {
  // crypto.hash: one call, no Hash object (the token cache runs this on every request).
  return hash('sha256', token, 'base64url');
}

/** Options for createTokenCache. */
export interface TokenCacheOptions {
  /** Maximum number of entries before the least recently used is evicted (default 10000). */
  readonly maxEntries?: number;
  /** Clock in milliseconds since the epoch (default Date.now). */
  readonly now?: () => number;
}

/** A bounded, expiring cache keyed by token hash. */
export interface TokenCache<V> {
  /** Returns the live value for a token, or undefined when absent or expired. */
  get(token: string): V | undefined;
  /** Stores a value until `expiresAtMs` (epoch ms); past instants are not stored. */
  set(token: string, value: V, expiresAtMs: number): void;
  /** Looks up by an already-computed hash (for composite keys such as token exchange). */
  getByKey(key: string): V | undefined;
  /** Stores by an already-computed hash. */
  setByKey(key: string, value: V, expiresAtMs: number): void;
  /** Removes a token's entry. */
  delete(token: string): void;
  /** Removes everything. */
  clear(): void;
  /** Number of stored entries (including not-yet-swept expired ones). */
  readonly size: number;
}

/** Creates an LRU token cache whose entries never outlive their expiry. */
export function createTokenCache<V>(options: TokenCacheOptions = {}): TokenCache<V> {
  const maxEntries = checkPositiveInt('maxEntries', options.maxEntries, 10_000);
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order: re-inserting on read makes the first key the LRU.
  const entries = new Map<string, { value: V; expiresAtMs: number }>();

  const getByKey = (key: string): V | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (now() >= entry.expiresAtMs) {
      entries.delete(key);
      return undefined;
    }
    entries.delete(key);
    entries.set(key, entry);
    return entry.value;
  };

  const setByKey = (key: string, value: V, expiresAtMs: number): void => {
    entries.delete(key);
    if (!(expiresAtMs > now())) return;
    entries.set(key, { value, expiresAtMs });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  };

  return {
    get: (token) => getByKey(hashToken(token)),
    set: (token, value, expiresAtMs) => setByKey(hashToken(token), value, expiresAtMs),
    getByKey,
    setByKey,
    delete: (token) => void entries.delete(hashToken(token)),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
