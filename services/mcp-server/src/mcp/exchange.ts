/**
 * The contract between the engine and a transport. A transport (Streamable HTTP, STDIO)
 * turns each incoming request into an Exchange; the engine only ever talks back through it.
 */
import type { Principal } from './principal.js';
import type { Era, JsonObject, JsonRpcNotification, LogLevel } from './protocol.js';

/** What a 2025-revision client established with `initialize` (per session, or per STDIO process). */
export interface LegacySession {
  /** `Mcp-Session-Id` when sessions are on; undefined when serving statelessly. */
  readonly id?: string;
  /** Key of the principal that opened it (sessions are bound to their principal). */
  readonly owner: string;
  protocolVersion: string;
  capabilities?: JsonObject;
  clientInfo?: { name?: string; version?: string; title?: string };
  /** Set by `logging/setLevel`; undefined means "send everything". */
  logLevel?: LogLevel;
  /** URIs from `resources/subscribe`. */
  readonly subscriptions: Set<string>;
  /** Initialized notification received. */
  initialized: boolean;
  /** Last activity, epoch ms (idle expiry). */
  lastSeen: number;
}

/** One request in flight, as the transport presents it to the engine. */
export interface Exchange {
  readonly era: Era;
  /** Protocol version of this request (modern) or of the session (legacy). */
  readonly protocolVersion: string;
  readonly principal: Principal;
  /** Lower-cased request headers without credentials. */
  readonly headers: Readonly<Record<string, string>>;
  /** Aborts when the client cancels or disconnects. */
  readonly signal: AbortSignal;
  /** Legacy state for this request's session, if any. */
  readonly session?: LegacySession;
  /** Send a notification related to this request before its result (upgrades HTTP to SSE). */
  notify(notification: JsonRpcNotification): void;
  /**
   * Legacy only: send a server-to-client request related to this request and await the
   * client's result. Absent when the transport cannot carry one.
   */
  request?(method: string, params: JsonObject | undefined): Promise<JsonObject>;
  /**
   * Limits the transport sets for long-lived requests (subscriptions/listen): how many
   * resource URIs one stream may watch, and when the server ends the stream (the client
   * reconnects). Absent: the engine's defaults, no lifetime.
   */
  readonly streamLimits?: { readonly maxSubscriptions: number; readonly lifetimeMs?: number };
}
