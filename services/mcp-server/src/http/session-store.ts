/**
 * Sessions of the 2025 revisions (2025-11-25 transports §Session Management), kept in the
 * StateStore so that any replica serves any session's POST, GET stream and DELETE. Ids are
 * 256 random bits; a session is bound to the principal that opened it; idle ones expire with
 * their key; a deleted or expired id answers 404 on every replica, so the client starts over.
 *
 * Keys: `sess:<id>` the record (session-record.ts); `sess-o:<owner digest>` the owner's
 * session ids and their last use (the per-principal quota ends the least recently used);
 * `sess-n:<window>` sessions opened per idle period (the server-wide quota). Channel `sess`
 * carries "ended" and "subscriptions changed" to the GET streams on every replica.
 */
import { hash, randomBytes } from 'node:crypto';
import type { LegacySession } from '../mcp/exchange.js';
import { DEFAULT_LEGACY_VERSION } from '../mcp/protocol.js';
import { MemoryStore } from '../state/memory-store.js';
import type { StateStore } from '../state/store.js';
import { Quotas, refusals } from './quotas.js';
import { decodeSession, encodeSession, mergeSession } from './session-record.js';
import { SessionEvents, type SessionWatcher } from './session-events.js';

/** Options for the store. */
export interface SessionStoreOptions {
  /** Where sessions live: the replicas' shared store (REDIS_URL); default a private MemoryStore. */
  store?: StateStore;
  idleTimeoutMs?: number;
  /** Sessions opened per idle period (default 10 000): past it, new sessions are refused (503). */
  maxSessions?: number;
  /** Sessions per principal (default 16): a new one ends that principal's least recently used. */
  maxSessionsPerOwner?: number;
  /** Sizes each session's subscription set (default: the default quotas). */
  quotas?: Quotas;
  now?: () => number;
}

const ID = /^[A-Za-z0-9_-]{43}$/;
type IndexEntry = [id: string, lastUse: number];
interface Loaded { stored: string; touched: number; window: number }

/** Sessions in the shared StateStore; every method may throw the store's StateError (→ 503). */
export class SessionStore {
  private readonly store: StateStore;
  private readonly ownStore: boolean;
  private readonly idle: number;
  /** A use rewrites the record (extending its TTL) at most this often: one write a minute, not one per request. */
  private readonly touchEvery: number;
  private readonly max: number;
  private readonly perOwner: number;
  private readonly quotas: Quotas;
  private readonly now: () => number;
  private readonly loaded = new WeakMap<LegacySession, Loaded>();
  private readonly events: SessionEvents;
  private opened = 0;

  constructor(opts: SessionStoreOptions = {}) {
    this.idle = opts.idleTimeoutMs ?? 30 * 60_000;
    this.touchEvery = Math.max(1, Math.min(Math.floor(this.idle / 4), 60_000));
    this.quotas = opts.quotas ?? new Quotas();
    this.max = opts.maxSessions ?? this.quotas.limits.sessions;
    this.perOwner = opts.maxSessionsPerOwner ?? this.quotas.limits.sessionsPerPrincipal;
    this.now = opts.now ?? Date.now;
    this.ownStore = !opts.store;
    this.store = opts.store ?? new MemoryStore({ now: this.now, maxKeys: 4 * this.max + 1000 });
    this.events = new SessionEvents(this.store);
  }

  /** Sessions opened in the last idle period, as last counted here (the mcp_sessions gauge). */
  get size(): number { return this.opened; }

  /** Live sessions of `owner` (every replica's). */
  async countOf(owner: string): Promise<number> { return (await this.index(owner)).length; }

  /**
   * Open a session for `owner`. At the per-principal quota, that principal's least recently
   * used session ends (never another principal's: a few principals must not be able to push
   * out someone else's live session). Past the server-wide quota the request is refused with
   * QuotaExceededError (503).
   */
  async create(owner: string): Promise<LegacySession> {
    await this.events.ready;
    const now = this.now();
    const window = Math.floor(now / this.idle);
    const index = await this.index(owner);
    const evict = index.length >= this.perOwner;
    index.sort((a, b) => a[1] - b[1]);
    while (index.length >= this.perOwner) await this.end(index.shift()![0]);
    const n = await this.store.increment(`sess-n:${window}`, 1, 2 * this.idle + 1000);
    // Sliding estimate over two fixed windows (each as long as the idle timeout).
    const prev = Number(await this.store.get(`sess-n:${window - 1}`) ?? 0);
    this.opened = Math.round(n + Math.max(0, prev) * (1 - (now % this.idle) / this.idle));
    if (!evict && this.opened > this.max) {
      await this.store.increment(`sess-n:${window}`, -1, 2 * this.idle + 1000);
      throw refusals.sessions(this.max);
    }
    const id = randomBytes(32).toString('base64url');
    const session: LegacySession = { id, owner, protocolVersion: DEFAULT_LEGACY_VERSION, subscriptions: this.quotas.subscriptionSet(), initialized: false, lastSeen: now };
    const stored = encodeSession(session, now, window);
    await this.store.set(`sess:${id}`, stored, { ttlMs: this.ttl });
    index.push([id, now]);
    await this.writeIndex(owner, index);
    this.loaded.set(session, { stored, touched: now, window });
    return session;
  }

  /** The session if it exists, is live and belongs to `owner`; otherwise undefined (→ 404). */
  async get(id: string, owner: string): Promise<LegacySession | undefined> {
    if (!ID.test(id)) return undefined;
    await this.events.ready;
    const text = await this.store.get(`sess:${id}`);
    const l = text === undefined ? undefined : decodeSession(id, text, this.quotas.subscriptionSet());
    if (!l || l.session.owner !== owner) return undefined;
    const now = this.now();
    if (now - l.touched > this.ttl) return undefined;
    let loaded: Loaded = l;
    if (now - l.touched >= this.touchEvery) {
      const stored = encodeSession(l.session, now, l.window);
      // ifPresent: a session deleted meanwhile on another replica stays deleted.
      if (!await this.store.set(`sess:${id}`, stored, { ttlMs: this.ttl, ifPresent: true })) return undefined;
      loaded = { stored, touched: now, window: l.window };
      await this.touchIndex(owner, id, now);
    }
    l.session.lastSeen = now;
    this.loaded.set(l.session, loaded);
    return l.session;
  }

  /**
   * Write back what this request changed (negotiated version, capabilities, log level,
   * subscriptions, initialized) before its reply goes out, so the client's next request sees
   * it whichever replica serves it. Nothing is written when nothing changed.
   */
  async save(session: LegacySession): Promise<void> {
    const l = this.loaded.get(session);
    if (!l || encodeSession(session, l.touched, l.window) === l.stored) return;
    const key = `sess:${session.id}`;
    const current = await this.store.get(key);
    if (current === undefined) return;
    const now = this.now();
    const stored = mergeSession(l.stored, current, session, now, this.quotas.limits.subscriptionsPerSession);
    // ifPresent: a session deleted meanwhile on another replica stays deleted.
    if (stored === undefined || !await this.store.set(key, stored, { ttlMs: this.ttl, ifPresent: true })) return;
    this.loaded.set(session, { stored, touched: now, window: l.window });
    const before = subscriptionsOf(current);
    const after = subscriptionsOf(stored);
    if (before.length !== after.length || before.some((u, i) => u !== after[i])) await this.events.subscriptionsChanged(session.id!, after);
  }

  /** Watch a session's end and subscription changes, raised on any replica; returns the remover. */
  watch(id: string, watcher: SessionWatcher): () => void { return this.events.watch(id, watcher); }

  /** End a session on every replica; false when it did not exist (or was not `owner`'s). */
  async delete(id: string, owner?: string): Promise<boolean> {
    if (!ID.test(id)) return false;
    const text = await this.store.get(`sess:${id}`);
    const l = text === undefined ? undefined : decodeSession(id, text, new Set());
    if (!l || (owner !== undefined && l.session.owner !== owner)) return false;
    await this.end(id, l.window);
    const index = await this.index(l.session.owner);
    await this.writeIndex(l.session.owner, index.filter(([i]) => i !== id));
    return true;
  }

  /** Close this replica's GET streams and stop listening; sessions stay for the other replicas. */
  async close(): Promise<void> {
    await this.events.close();
    if (this.ownStore) await this.store.close();
  }

  private get ttl(): number { return this.idle + this.touchEvery; }

  private async end(id: string, window?: number): Promise<void> {
    if (window === undefined) {
      const text = await this.store.get(`sess:${id}`);
      window = text === undefined ? undefined : decodeSession(id, text, new Set())?.window;
    }
    if (await this.store.delete(`sess:${id}`) && window !== undefined) await this.store.increment(`sess-n:${window}`, -1, 2 * this.idle + 1000);
    await this.events.ended(id);
  }

  private async index(owner: string): Promise<IndexEntry[]> {
    const text = await this.store.get(indexKey(owner));
    if (text === undefined) return [];
    const cutoff = this.now() - this.ttl;
    try {
      const entries = JSON.parse(text) as unknown;
      return Array.isArray(entries) ? entries.filter((e): e is IndexEntry => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number' && e[1] > cutoff) : [];
    } catch { return []; }
  }

  private async writeIndex(owner: string, entries: IndexEntry[]): Promise<void> {
    if (entries.length === 0) await this.store.delete(indexKey(owner));
    else await this.store.set(indexKey(owner), JSON.stringify(entries), { ttlMs: this.ttl });
  }

  private async touchIndex(owner: string, id: string, now: number): Promise<void> {
    const index = await this.index(owner);
    const e = index.find(([i]) => i === id);
    if (e) e[1] = now; else index.push([id, now]);
    await this.writeIndex(owner, index);
  }
}

function subscriptionsOf(record: string): string[] {
  return (JSON.parse(record) as { s: string[] }).s;
}

/** The owner's index key: a digest, so a long principal key does not make a long Redis key. */
function indexKey(owner: string): string {
  return `sess-o:${hash('sha256', owner, 'base64url')}`;
}
