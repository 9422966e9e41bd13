/**
 * Sessions of the 2025 revisions (2025-11-25 transports §Session Management): ids are 256
 * random bits, each session is bound to the principal that opened it, idle ones expire, and
 * a deleted or expired id answers 404 so the client starts over.
 */
import { randomBytes } from 'node:crypto';
import type { LegacySession } from '../mcp/exchange.js';
import { DEFAULT_LEGACY_VERSION } from '../mcp/protocol.js';
import { Quotas, refusals } from './quotas.js';

/** Options for the store. */
export interface SessionStoreOptions {
  idleTimeoutMs?: number;
  /** Sessions on the server (default 10 000): when full, new sessions are refused (503). */
  maxSessions?: number;
  /** Sessions per principal (default 16): a new one ends that principal's least recently used. */
  maxSessionsPerOwner?: number;
  /** Sizes each session's subscription set (default: the default quotas). */
  quotas?: Quotas;
  now?: () => number;
}

/** In-memory session store (one replica; sticky routing needed for sessions across replicas). */
export class SessionStore {
  private readonly sessions = new Map<string, LegacySession>();
  /** Each owner's session ids: eviction only ever picks among the same principal's sessions. */
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly idle: number;
  private readonly max: number;
  private readonly perOwner: number;
  private readonly quotas: Quotas;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly endListeners = new Map<string, Set<() => void>>();

  constructor(opts: SessionStoreOptions = {}) {
    this.idle = opts.idleTimeoutMs ?? 30 * 60_000;
    this.quotas = opts.quotas ?? new Quotas();
    this.max = opts.maxSessions ?? this.quotas.limits.sessions;
    this.perOwner = opts.maxSessionsPerOwner ?? this.quotas.limits.sessionsPerPrincipal;
    this.now = opts.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idle, 60_000));
    this.sweeper.unref();
  }

  /** Number of live sessions. */
  get size(): number { return this.sessions.size; }

  /** Number of live sessions of `owner`. */
  countOf(owner: string): number { return this.byOwner.get(owner)?.size ?? 0; }

  /**
   * Open a session for `owner`. At the per-principal quota, that principal's least recently
   * used session ends (never another principal's: a few principals must not be able to push
   * out someone else's live session). At the server-wide quota, expired sessions are swept
   * and, if it is still full, the request is refused with QuotaExceededError (503).
   */
  create(owner: string): LegacySession {
    const own = this.byOwner.get(owner);
    if (own && own.size >= this.perOwner) {
      let oldest: LegacySession | undefined;
      for (const id of own) { const s = this.sessions.get(id)!; if (!oldest || s.lastSeen < oldest.lastSeen) oldest = s; }
      this.delete(oldest!.id!);
    } else if (this.sessions.size >= this.max) {
      this.sweep();
      if (this.sessions.size >= this.max) throw refusals.sessions(this.max);
    }
    const id = randomBytes(32).toString('base64url');
    const s: LegacySession = { id, owner, protocolVersion: DEFAULT_LEGACY_VERSION, subscriptions: this.quotas.subscriptionSet(), initialized: false, lastSeen: this.now() };
    this.sessions.set(id, s);
    let set = this.byOwner.get(owner);
    if (!set) { set = new Set(); this.byOwner.set(owner, set); }
    set.add(id);
    return s;
  }

  /** The session if it exists, is live and belongs to `owner`; otherwise undefined (→ 404). */
  get(id: string, owner: string): LegacySession | undefined {
    const s = this.sessions.get(id);
    if (!s || s.owner !== owner) return undefined;
    if (this.now() - s.lastSeen > this.idle) { this.delete(id); return undefined; }
    s.lastSeen = this.now();
    return s;
  }

  /** Run `listener` when session `id` ends (its GET streams close then); returns the remover. */
  onEnd(id: string, listener: () => void): () => void {
    let set = this.endListeners.get(id);
    if (!set) { set = new Set(); this.endListeners.set(id, set); }
    set.add(listener);
    return () => { set.delete(listener); if (set.size === 0) this.endListeners.delete(id); };
  }

  /** End a session. */
  delete(id: string): boolean {
    const s = this.sessions.get(id);
    const had = this.sessions.delete(id);
    if (s) {
      const own = this.byOwner.get(s.owner);
      own?.delete(id);
      if (own?.size === 0) this.byOwner.delete(s.owner);
    }
    const listeners = this.endListeners.get(id);
    this.endListeners.delete(id);
    if (listeners) for (const l of listeners) l();
    return had;
  }

  /** Stop the sweeper and drop all sessions. */
  close(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) this.delete(id);
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) if (t - s.lastSeen > this.idle) this.delete(id);
  }
}
