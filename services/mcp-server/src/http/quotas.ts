/**
 * Quotas on the state a client can make the server hold, per principal and in total, in one
 * place: the limits (from MCP_MAX_* settings, docs/security.md) and the counters for open
 * streams and pending server-to-client requests. Sessions are counted by the session store,
 * which alone can pick the principal's own least recently used session to end; it takes its
 * limits from here. Every refusal is a QuotaExceededError naming its setting: per-principal
 * limits answer 429 (the client's to fix), server-wide ones 503 (the server is full).
 *
 * The interface is deliberately narrow (take a slot, get its release function) so that the
 * counters can move behind a shared store (issue #9) without touching the callers.
 */
import type { Config } from '../config/config.js';
import { BoundedSet, QuotaExceededError } from '../mcp/bounds.js';

/** Every limit, with the setting that configures it. */
export interface QuotaLimits {
  /** Sessions on the server (MCP_MAX_SESSIONS). */
  sessions: number;
  /** Sessions per principal; a new one ends that principal's least recently used (MCP_MAX_SESSIONS_PER_PRINCIPAL). */
  sessionsPerPrincipal: number;
  /** Long-lived streams — GET streams and subscriptions/listen — on the server (MCP_MAX_STREAMS). */
  streams: number;
  /** Long-lived streams per principal (MCP_MAX_STREAMS_PER_PRINCIPAL). */
  streamsPerPrincipal: number;
  /** GET streams per session (MCP_MAX_STREAMS_PER_SESSION). */
  streamsPerSession: number;
  /** Lifetime of a long-lived stream in ms; the client reconnects (MCP_STREAM_MAX_LIFETIME_MS). */
  streamLifetimeMs: number;
  /** resources/subscribe URIs per session, and URIs per listen stream (MCP_MAX_SUBSCRIPTIONS_PER_SESSION). */
  subscriptionsPerSession: number;
  /** Server-to-client requests awaiting an answer, on the server (MCP_MAX_PENDING_REQUESTS). */
  pendingRequests: number;
  /** The same per principal (MCP_MAX_PENDING_REQUESTS_PER_PRINCIPAL). */
  pendingRequestsPerPrincipal: number;
}

/** The defaults, equal to config.ts's. */
export const DEFAULT_QUOTAS: Readonly<QuotaLimits> = Object.freeze({
  sessions: 10_000,
  sessionsPerPrincipal: 16,
  streams: 10_000,
  streamsPerPrincipal: 32,
  streamsPerSession: 4,
  streamLifetimeMs: 1_800_000,
  subscriptionsPerSession: 100,
  pendingRequests: 1000,
  pendingRequestsPerPrincipal: 16,
});

/** The limits as configured. */
export function quotasFromConfig(c: Config): QuotaLimits {
  return {
    sessions: c.MCP_MAX_SESSIONS,
    sessionsPerPrincipal: c.MCP_MAX_SESSIONS_PER_PRINCIPAL,
    streams: c.MCP_MAX_STREAMS,
    streamsPerPrincipal: c.MCP_MAX_STREAMS_PER_PRINCIPAL,
    streamsPerSession: c.MCP_MAX_STREAMS_PER_SESSION,
    streamLifetimeMs: c.MCP_STREAM_MAX_LIFETIME_MS,
    subscriptionsPerSession: c.MCP_MAX_SUBSCRIPTIONS_PER_SESSION,
    pendingRequests: c.MCP_MAX_PENDING_REQUESTS,
    pendingRequestsPerPrincipal: c.MCP_MAX_PENDING_REQUESTS_PER_PRINCIPAL,
  };
}

/** Defaults filled in and every value checked. */
export function resolveQuotas(partial: Partial<QuotaLimits> = {}): Readonly<QuotaLimits> {
  const q = { ...DEFAULT_QUOTAS, ...partial };
  for (const k of Object.keys(q) as (keyof QuotaLimits)[]) {
    if (!(k in DEFAULT_QUOTAS)) throw new TypeError(`Unknown quota "${k}"; known: ${Object.keys(DEFAULT_QUOTAS).join(', ')}`);
    if (!Number.isInteger(q[k]) || q[k] <= 0) throw new TypeError(`quota ${k} must be a positive integer, got ${q[k]}`);
  }
  return Object.freeze(q);
}

/** The quota errors, one per limit, with what the client should do. */
export const refusals = {
  sessions: (max: number) => new QuotaExceededError('MCP_MAX_SESSIONS', max, 'sessions on this server', 'retry later, or use stateless requests', 'server'),
  streams: (max: number) => new QuotaExceededError('MCP_MAX_STREAMS', max, 'open streams on this server', 'retry later', 'server'),
  streamsPerPrincipal: (max: number) => new QuotaExceededError('MCP_MAX_STREAMS_PER_PRINCIPAL', max, 'open streams per principal', 'close a stream you no longer read before opening another'),
  streamsPerSession: (max: number) => new QuotaExceededError('MCP_MAX_STREAMS_PER_SESSION', max, 'GET streams per session', 'close the session\'s other GET stream first'),
  subscriptions: (max: number) => new QuotaExceededError('MCP_MAX_SUBSCRIPTIONS_PER_SESSION', max, 'resource subscriptions per session', 'unsubscribe from resources you no longer need first'),
  pendingRequests: (max: number) => new QuotaExceededError('MCP_MAX_PENDING_REQUESTS', max, 'server-to-client requests awaiting an answer on this server', 'retry later', 'server'),
  pendingRequestsPerPrincipal: (max: number) => new QuotaExceededError('MCP_MAX_PENDING_REQUESTS_PER_PRINCIPAL', max, 'server-to-client requests awaiting your answer', 'answer (or cancel) the outstanding ones first'),
} as const;

/** A counter keyed by principal or session, with a total. */
class Counter {
  private readonly byKey = new Map<string, number>();
  total = 0;
  count(key: string): number { return this.byKey.get(key) ?? 0; }
  add(keys: readonly string[]): () => void {
    for (const k of keys) this.byKey.set(k, this.count(k) + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      for (const k of keys) {
        const n = this.count(k) - 1;
        if (n <= 0) this.byKey.delete(k); else this.byKey.set(k, n);
      }
    };
  }
  get keys(): number { return this.byKey.size; }
}

/** Counters for the quotas the HTTP layer enforces (sessions: see SessionStore). */
export class Quotas {
  readonly limits: Readonly<QuotaLimits>;
  private readonly streams = new Counter();
  private readonly pending = new Counter();

  constructor(limits: Partial<QuotaLimits> = {}) {
    this.limits = resolveQuotas(limits);
  }

  /**
   * Take a long-lived stream slot for `owner` (and its session, for GET streams); returns the
   * function that gives it back (idempotent). Throws QuotaExceededError when a limit is full.
   */
  openStream(owner: string, sessionId?: string): () => void {
    const l = this.limits;
    if (this.streams.count(`p:${owner}`) >= l.streamsPerPrincipal) throw refusals.streamsPerPrincipal(l.streamsPerPrincipal);
    if (sessionId !== undefined && this.streams.count(`s:${sessionId}`) >= l.streamsPerSession) throw refusals.streamsPerSession(l.streamsPerSession);
    if (this.streams.total >= l.streams) throw refusals.streams(l.streams);
    return this.streams.add(sessionId === undefined ? [`p:${owner}`] : [`p:${owner}`, `s:${sessionId}`]);
  }

  /** Take a pending server-to-client request slot for `owner`; returns its release. */
  openPending(owner: string): () => void {
    const l = this.limits;
    if (this.pending.count(owner) >= l.pendingRequestsPerPrincipal) throw refusals.pendingRequestsPerPrincipal(l.pendingRequestsPerPrincipal);
    if (this.pending.total >= l.pendingRequests) throw refusals.pendingRequests(l.pendingRequests);
    return this.pending.add([owner]);
  }

  /** A session's subscription set, refusing URIs past the quota. */
  subscriptionSet(): BoundedSet<string> {
    const max = this.limits.subscriptionsPerSession;
    return new BoundedSet<string>(max, () => refusals.subscriptions(max));
  }

  /** What is held now (tests, metrics). */
  usage(owner?: string): { streams: number; pending: number; trackedKeys: number } {
    return owner === undefined
      ? { streams: this.streams.total, pending: this.pending.total, trackedKeys: this.streams.keys + this.pending.keys }
      : { streams: this.streams.count(`p:${owner}`), pending: this.pending.count(owner), trackedKeys: this.streams.keys + this.pending.keys };
  }
}
