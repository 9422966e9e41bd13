/**
 * Sessions of the 2025 revisions (2025-11-25 transports §Session Management): ids are 256
 * random bits, each session is bound to the principal that opened it, idle ones expire, and
 * a deleted or expired id answers 404 so the client starts over.
 */
import { randomBytes } from 'node:crypto';
import type { LegacySession } from '../mcp/exchange.js';
import { DEFAULT_LEGACY_VERSION } from '../mcp/protocol.js';

/** Options for the store. */
export interface SessionStoreOptions { idleTimeoutMs?: number; maxSessions?: number; now?: () => number }

/** In-memory session store (one replica; sticky routing needed for sessions across replicas). */
export class SessionStore {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly idle: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly endListeners = new Map<string, Set<() => void>>();

  constructor(opts: SessionStoreOptions = {}) {
    this.idle = opts.idleTimeoutMs ?? 30 * 60_000;
    this.max = opts.maxSessions ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idle, 60_000));
    this.sweeper.unref();
  }

  /** Number of live sessions. */
  get size(): number { return this.sessions.size; }

  /** Open a session for `owner`; evicts the least recently used one when full. */
  create(owner: string): LegacySession {
    if (this.sessions.size >= this.max) {
      let oldest: LegacySession | undefined;
      for (const s of this.sessions.values()) if (!oldest || s.lastSeen < oldest.lastSeen) oldest = s;
      if (oldest?.id) this.delete(oldest.id);
    }
    const id = randomBytes(32).toString('base64url');
    const s: LegacySession = { id, owner, protocolVersion: DEFAULT_LEGACY_VERSION, subscriptions: new Set(), initialized: false, lastSeen: this.now() };
    this.sessions.set(id, s);
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
    const had = this.sessions.delete(id);
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
