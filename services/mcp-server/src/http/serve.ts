/**
 * Serve one JSON-RPC request over one HTTP response: build the Exchange, wire cancellation
 * to the client closing the stream, and write the reply as JSON or SSE.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../mcp/engine.js';
import type { Exchange, LegacySession } from '../mcp/exchange.js';
import { principalKey, type Principal } from '../mcp/principal.js';
import type { Era, JsonObject, JsonRpcRequest, RequestId } from '../mcp/protocol.js';
import type { HttpRefusal } from './endpoint-options.js';
import type { PendingRequests } from './pending-requests.js';
import type { Quotas } from './quotas.js';
import { ResponseChannel, sendJson } from './response-channel.js';
import type { SessionStore } from './session-store.js';
import type { ReplicaRelay } from './replica-relay.js';
import { sendStateRefusal } from './state-refusal.js';

/** What the POST paths share. */
export interface Deps {
  engine: Engine;
  store: SessionStore | undefined;
  pending: PendingRequests;
  /** Stream and pending-request quotas (the session store holds the session ones). */
  quotas: Quotas;
  /** Legacy requests in flight, so a `notifications/cancelled` POST can abort them. */
  inFlight: InFlightRequests;
  /** With several replicas: client replies and cancellations another replica must act on. */
  relay?: ReplicaRelay;
  insufficientScope?: (required: readonly string[], req: IncomingMessage, principal: Principal) => HttpRefusal;
}

/** One request to serve. */
export interface ServeSpec {
  era: Era;
  protocolVersion: string;
  principal: Principal;
  headers: Readonly<Record<string, string>>;
  request: JsonRpcRequest;
  session?: LegacySession;
  /** Extra response headers (Mcp-Session-Id on initialize). */
  responseHeaders?: Record<string, string>;
  /** For a long-lived request (subscriptions/listen): its quota and lifetime. */
  streamLimits?: Exchange['streamLimits'];
}

const HIDDEN = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Request headers as handlers may see them: lower-cased, credentials removed. */
export function safeHeaders(req: IncomingMessage): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  const h = req.headers;
  // for…in, not Object.entries: no pair array per header on every request.
  for (const k in h) {
    const v = h[k];
    if (v !== undefined && !HIDDEN.has(k)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return Object.freeze(out);
}

/**
 * 2025 revisions (basic/utilities/cancellation): a client cancels with a
 * `notifications/cancelled` POST naming the request id. Ids are only unique per client, so
 * entries are keyed by principal and session; a principal can only cancel its own requests.
 */
export class InFlightRequests {
  private readonly map = new Map<string, { abort(): void }>();
  private static key(owner: string, sessionId: string | undefined, id: unknown): string {
    return JSON.stringify([owner, sessionId ?? '', id]);
  }
  /** Track a request; returns the function that forgets it. */
  add(owner: string, sessionId: string | undefined, id: RequestId, abort: { abort(): void }): () => void {
    const k = InFlightRequests.key(owner, sessionId, id);
    this.map.set(k, abort);
    return () => { if (this.map.get(k) === abort) this.map.delete(k); };
  }
  /** Abort the named request if it is in flight here; false for unknown ids. */
  cancel(owner: string, sessionId: string | undefined, id: unknown): boolean {
    const r = this.map.get(InFlightRequests.key(owner, sessionId, id));
    r?.abort();
    return r !== undefined;
  }
}

/** Serve a request; resolves when the reply is written (or the client went away). */
export async function serveOne(deps: Deps, req: IncomingMessage, res: ServerResponse, spec: ServeSpec): Promise<void> {
  const channel = new ResponseChannel(res, spec.responseHeaders);
  const abort = new LazyAbort();
  // 2026-07-28 streamable-http §Cancellation: closing the response stream cancels the request.
  res.once('close', () => { if (!res.writableFinished) abort.abort(); });
  const owner = principalKey(spec.principal);
  const ex: Exchange = {
    era: spec.era,
    protocolVersion: spec.protocolVersion,
    principal: spec.principal,
    headers: spec.headers,
    get signal() { return abort.signal; },
    session: spec.session,
    streamLimits: spec.streamLimits,
    notify: (n) => channel.send(n),
    request: spec.era === 'legacy'
      ? (method: string, params: JsonObject | undefined) => {
          const { id, result } = deps.pending.open(owner, abort.signal);
          channel.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
          return result;
        }
      : undefined,
  };
  const forget = spec.era === 'legacy' ? deps.inFlight.add(owner, spec.session?.id, spec.request.id, abort) : undefined;
  const reply = await deps.engine.dispatch(spec.request, ex).finally(() => forget?.());
  // What the request changed in its session is stored before the reply goes out: the client's
  // next request may land on another replica (initialize → notifications/initialized).
  if (spec.session?.id && deps.store) {
    try { await deps.store.save(spec.session); } catch (e) { return sendStateRefusal(res, e, spec.request.id); }
  }
  if (reply.status === 403 && deps.insufficientScope && !channel.closed) {
    const required = (JSON.parse(reply.body) as { error?: { data?: { requiredScopes?: string[] } } }).error?.data?.requiredScopes;
    if (required) {
      const r = deps.insufficientScope(required, req, spec.principal);
      if (!res.headersSent) return sendJson(res, r.status, r.body, r.headers);
    }
  }
  // 2025 cancellation §Behavior: no response for a request the client cancelled; the HTTP
  // exchange still has to end, so the stream closes empty (or 204 before it ever opened).
  if (abort.aborted) return channel.abandon();
  channel.finish(reply);
}


/**
 * An AbortController created only when someone reads the signal: most handlers never do, and
 * one controller per request is measurable on the hot path.
 */
class LazyAbort {
  private controller: AbortController | undefined;
  /** True once the request was cancelled. */
  aborted = false;
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.controller?.abort();
  }
}
