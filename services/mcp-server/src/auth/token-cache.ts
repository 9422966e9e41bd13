// A bounded LRU cache keyed by SHA-256 of the token. Storing only the digest means a heap
// dump or debug log of the cache never reveals a usable bearer token.
import { hash } from 'node:crypto';
import { checkPositiveInt } from './options.js';

/** Returns the base64url SHA-256 digest of a token, the only form in which tokens are keyed. */
export function hashToken(token: string): string {
  // crypto.hash: one call, no Hash object (the token cache runs this on every request).
  return hash('sha256', token, 'base64url');
}

/** Estimated heap bytes of a string: 2 per character (V8 may need two-byte storage) plus its header. */
export function stringBytes(s: string | undefined): number {
  return s === undefined ? 0 : 16 + 2 * s.length;
}

/**
 * What one entry costs besides its value: the 43-character key string, the Map slot, the entry
 * object and its boxed expiry. Deliberately rounded up.
 */
export const ENTRY_OVERHEAD_BYTES = 192;

/** Options for createTokenCache. */
export interface TokenCacheOptions<V = unknown> {
  /** Maximum number of entries before the least recently used is evicted (default 10000). */
  readonly maxEntries?: number;
  /** Maximum estimated bytes of all entries before the least recently used is evicted (default 16 MiB). */
  readonly maxBytes?: number;
  /** Estimated heap bytes of a value (default: nothing beyond the per-entry overhead). */
  readonly sizeOf?: (value: V) => number;
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
  /** Estimated bytes of the stored entries. */
  readonly bytes: number;
}

interface Entry<V> { readonly value: V; readonly expiresAtMs: number; readonly bytes: number }

/** Default byte budget: far above what 10,000 ordinary entries need, so it binds only on oversized values. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** Creates an LRU token cache whose entries never outlive their expiry, bounded by count and by bytes. */
export function createTokenCache<V>(options: TokenCacheOptions<V> = {}): TokenCache<V> {
  const maxEntries = checkPositiveInt('maxEntries', options.maxEntries, 10_000);
  const maxBytes = checkPositiveInt('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
  const sizeOf = options.sizeOf ?? (() => 0);
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order: re-inserting on read makes the first key the LRU.
  const entries = new Map<string, Entry<V>>();
  let bytes = 0;

  const remove = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  };

  const getByKey = (key: string): V | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (now() >= entry.expiresAtMs) {
      remove(key);
      return undefined;
    }
    entries.delete(key);
    entries.set(key, entry);
    return entry.value;
  };

  const setByKey = (key: string, value: V, expiresAtMs: number): void => {
    remove(key);
    if (!(expiresAtMs > now())) return;
    const size = ENTRY_OVERHEAD_BYTES + sizeOf(value);
    // A value bigger than the whole budget would only flush everything else: not stored.
    if (size > maxBytes) return;
    entries.set(key, { value, expiresAtMs, bytes: size });
    bytes += size;
    while (entries.size > maxEntries || bytes > maxBytes) remove(entries.keys().next().value as string);
  };

  return {
    get: (token) => getByKey(hashToken(token)),
    set: (token, value, expiresAtMs) => setByKey(hashToken(token), value, expiresAtMs),
    getByKey,
    setByKey,
    delete: (token) => remove(hashToken(token)),
    clear: () => {
      entries.clear();
      bytes = 0;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
