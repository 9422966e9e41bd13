/**
 * The `ctx` every tool, prompt and resource handler receives: who is calling, what they sent,
 * the application's shared state, and the ways to talk back to the client.
 */
import type { Principal } from './principal.js';
import type { JsonObject, LogLevel } from './protocol.js';
import type { Logger } from '../logging/logger.js';
import type { Span } from '@opentelemetry/api';

/**
 * Application state created once at start-up by the lifespan and shared by every request.
 * Augment it to type `ctx.state`:
 * `declare module 'mcp-resource-server' { interface AppState { db: Pool } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AppState {}

/** What the client told us about itself. */
export interface ClientInfo {
  /** Negotiated (legacy) or per-request (modern) protocol version. */
  readonly protocolVersion: string;
  /** Declared client capabilities. */
  readonly capabilities: Readonly<JsonObject>;
  /** `clientInfo` / `io.modelcontextprotocol/clientInfo`, when sent. */
  readonly info?: Readonly<{ name?: string; version?: string }>;
}

/** A request the server puts to the client (elicitation, sampling or roots). */
export interface InputRequest {
  method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
  params?: JsonObject;
}

/**
 * Ask the client for input. One API for both eras: on 2026-07-28 it becomes a multi
 * round-trip `input_required` result and the handler runs again with the answers; on the
 * 2025 revisions it is a server-to-client request on the response stream.
 * Keys name each question; they must be stable across retries of the same request.
 */
export interface ClientInput {
  /** `elicitation/create`: ask the user (form or URL mode). Resolves to the ElicitResult. */
  elicit(params: JsonObject, key?: string): Promise<JsonObject>;
  /** `sampling/createMessage`: ask the client's model. Resolves to the CreateMessageResult. */
  sample(params: JsonObject, key?: string): Promise<JsonObject>;
  /** `roots/list`: the client's roots. Resolves to the ListRootsResult. */
  roots(key?: string): Promise<JsonObject>;
  /** Ask several questions at once; resolves when all are answered. */
  all<K extends string>(requests: Record<K, InputRequest>): Promise<Record<K, JsonObject>>;
  /** True when the client declared the capability (`elicitation`, `sampling`, `roots`). */
  supports(capability: 'elicitation' | 'sampling' | 'roots'): boolean;
}

/** What a tool asks for when it needs a token for a downstream service (RFC 8693). */
export interface TokenExchangeRequest {
  /** Logical name of the downstream service (`audience`). */
  audience?: string;
  /** Absolute URI of the downstream resource (RFC 8707 `resource`). */
  resource?: string;
  /** Space-delimited scopes wanted downstream. */
  scope?: string;
}

/** A token minted for a downstream service on the caller's behalf. */
export interface DownstreamToken {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Epoch seconds. */
  readonly expiresAt?: number;
  readonly scope?: string;
}

/** Performs RFC 8693 token exchange for a principal (configured by the auth layer). */
export type TokenExchangeFn = (principal: Principal, request: TokenExchangeRequest) => Promise<DownstreamToken>;

/** The context a handler receives. */
export interface RequestContext {
  /** The authenticated caller. */
  readonly principal: Principal;
  /** Request headers, lower-cased, without Authorization, Cookie or Proxy-Authorization. */
  readonly headers: Readonly<Record<string, string>>;
  /** Shared application state from the lifespan. */
  readonly state: AppState;
  /** Server-side logger bound to this request (never sent to the client). */
  readonly log: Logger;
  /** Fires when the client cancels or disconnects; stop work when it does. */
  readonly signal: AbortSignal;
  /**
   * The OpenTelemetry span of this handler (child of the request span): add attributes and
   * events, or start child spans under it. Records nothing while tracing is off.
   */
  readonly span: Span;
  /** The JSON-RPC id of this request. */
  readonly requestId: string | number;
  /** The calling client. */
  readonly client: ClientInfo;
  /** Report progress; a no-op unless the client sent a progress token. */
  progress(progress: number, total?: number, message?: string): void;
  /** Send a log message to the client (`notifications/message`), honouring its log level. */
  sendLog(level: LogLevel, data: unknown, logger?: string): void;
  /** Ask the client for input (elicitation, sampling, roots). */
  readonly input: ClientInput;
  /**
   * Exchange the caller's token for one addressed to a downstream service (RFC 8693), so no
   * tool ever forwards the caller's own token (MCP security best practices: token passthrough
   * is forbidden). Rejects with a ToolError when the server has no token exchange configured.
   */
  exchangeToken(request: TokenExchangeRequest): Promise<DownstreamToken>;
}
