/**
 * The in-process StateStore: the default when no REDIS_URL is set (one replica). Keys expire
 * lazily on read and in a sweep every `sweepMs`; the number of keys is capped so a client can
 * never grow it without bound. Pub/sub is a local fan-out, delivered asynchronously like
 * Redis's so callers do not come to depend on re-entrant delivery.
 */
import { StoreFullError } from './errors.js';
import type { MessageListener, SetOptions, StateStore } from './store.js';

/** Options of the memory store. */
export interface MemoryStoreOptions {
  /** Most keys held at once (default 100,000); a write past it throws StoreFullError. */
  readonly maxKeys?: number;
  /** How often expired keys are swept (default 30 s); 0 disables the timer (tests). */
  readonly sweepMs?: number;
  /** The clock in epoch ms; injected by tests. */
  readonly now?: () => number;
}

interface Entry { value: string; expiresAt: number }

/** A StateStore in this process's memory. */
export class MemoryStore implements StateStore {
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<MessageListener>>();
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly timer?: NodeJS.Timeout;

  constructor(opts: MemoryStoreOptions = {}) {
    this.maxKeys = opts.maxKeys ?? 100_000;
    this.now = opts.now ?? Date.now;
    const sweepMs = opts.sweepMs ?? 30_000;
    if (sweepMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepMs);
      this.timer.unref();
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, opts: SetOptions): Promise<boolean> {
    if (opts.ifAbsent && this.live(key)) return false;
    if (opts.ifPresent && !this.live(key)) return false;
    this.write(key, { value, expiresAt: this.now() + checkTtl(opts.ttlMs) });
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.live(key) !== undefined && this.entries.delete(key);
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const entry = this.live(key);
    const next = (entry ? Number(entry.value) : 0) + by;
    this.write(key, { value: String(next), expiresAt: entry?.expiresAt ?? this.now() + checkTtl(ttlMs) });
    return next;
  }

  async publish(channel: string, message: string): Promise<void> {
    const listeners = this.channels.get(channel);
    if (!listeners) return;
    for (const l of [...listeners]) queueMicrotask(() => l(message));
  }

  async subscribe(channel: string, listener: MessageListener): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.channels.get(channel) === set) this.channels.delete(channel);
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.entries.clear();
    this.channels.clear();
  }

  /** Drop every expired key now (the timer does this every sweepMs). */
  sweep(): void {
    const now = this.now();
    for (const [key, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(key);
  }

  /** How many keys are held (expired ones not yet swept included). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private write(key: string, entry: Entry): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxKeys) {
      this.sweep();
      if (this.entries.size >= this.maxKeys) throw new StoreFullError(this.maxKeys);
    }
    this.entries.set(key, entry);
  }
}

function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  return ttlMs;
}
