/**
 * A 2025-revision session as it is kept in the StateStore: a small JSON record holding only
 * what the server reads back (bounds.ts already capped each part at `initialize`), so any
 * replica can rebuild the session a request names.
 */
import type { LegacySession } from '../mcp/exchange.js';
import type { JsonObject, LogLevel } from '../mcp/protocol.js';

/** The stored form; short keys, since every request of the session reads it. */
interface SessionRecord {
  /** Owner (principal key). */
  o: string;
  /** Negotiated protocol version. */
  v: string;
  /** Client capabilities the server reads. */
  c?: JsonObject;
  /** clientInfo. */
  i?: LegacySession['clientInfo'];
  /** logging/setLevel. */
  l?: LogLevel;
  /** resources/subscribe URIs. */
  s: string[];
  /** notifications/initialized received. */
  n: boolean;
  /** When the record was last written (epoch ms): the idle clock of the session. */
  t: number;
  /** Index of the creation window it was counted in (session-store.ts, server-wide quota). */
  w: number;
}

/** A session rebuilt from its record, with what the store needs to write it back. */
export interface LoadedSession {
  session: LegacySession;
  /** The record's JSON as read: a write is needed only when the session no longer encodes to it. */
  stored: string;
  /** When the record was last written. */
  touched: number;
  /** Creation window (server-wide quota). */
  window: number;
}

/** Encode a session for the store; with the loaded `touched` and `window`, equal to `stored` exactly when nothing changed. */
export function encodeSession(s: LegacySession, touched: number, window: number): string {
  const r: SessionRecord = { o: s.owner, v: s.protocolVersion, s: [...s.subscriptions], n: s.initialized, t: touched, w: window };
  if (s.capabilities) r.c = s.capabilities;
  if (s.clientInfo) r.i = s.clientInfo;
  if (s.logLevel) r.l = s.logLevel;
  return JSON.stringify(r);
}

/**
 * Rebuild a session from its record; undefined when the record is malformed (a store shared
 * with something else, or a downgrade): the client then gets 404 and starts over.
 */
export function decodeSession(id: string, text: string, subscriptions: Set<string>): LoadedSession | undefined {
  let r: Partial<SessionRecord>;
  try { r = JSON.parse(text) as Partial<SessionRecord>; } catch { return undefined; }
  if (typeof r?.o !== 'string' || typeof r.v !== 'string' || !Array.isArray(r.s) || typeof r.t !== 'number' || typeof r.w !== 'number') return undefined;
  for (const uri of r.s) {
    if (typeof uri !== 'string') return undefined;
    // A record written under a higher MCP_MAX_SUBSCRIPTIONS_PER_SESSION keeps what fits.
    try { subscriptions.add(uri); } catch { break; }
  }
  const session: LegacySession = {
    id, owner: r.o, protocolVersion: r.v, subscriptions, initialized: r.n === true, lastSeen: r.t,
    ...(r.c && typeof r.c === 'object' ? { capabilities: r.c } : {}),
    ...(r.i && typeof r.i === 'object' ? { clientInfo: r.i } : {}),
    ...(typeof r.l === 'string' ? { logLevel: r.l } : {}),
  };
  return { session, stored: text, touched: r.t, window: r.w };
}

/**
 * What this request changed (the session against the record it was loaded from), applied to
 * the record as it is now in the store: two requests of one session that each change
 * something — two resources/subscribe sent at once, say — both keep their change, wherever
 * they ran. Returns the JSON to write, or undefined when `current` is unreadable.
 */
export function mergeSession(loaded: string, current: string, s: LegacySession, touched: number, maxSubscriptions: number): string | undefined {
  let base: SessionRecord;
  let now: SessionRecord;
  try { base = JSON.parse(loaded) as SessionRecord; now = JSON.parse(current) as SessionRecord; } catch { return undefined; }
  if (!Array.isArray(now?.s)) return undefined;
  const mine = JSON.parse(encodeSession(s, base.t, base.w)) as SessionRecord;
  for (const k of ['v', 'c', 'i', 'l', 'n'] as const) {
    if (JSON.stringify(mine[k]) !== JSON.stringify(base[k])) (now as unknown as Record<string, unknown>)[k] = mine[k];
  }
  const removed = new Set(base.s.filter((u) => !s.subscriptions.has(u)));
  const kept = now.s.filter((u) => !removed.has(u));
  const added = mine.s.filter((u) => !base.s.includes(u) && !kept.includes(u));
  now.s = [...kept, ...added].slice(0, maxSubscriptions);
  now.t = touched;
  return JSON.stringify(now);
}
