/**
 * The Streamable HTTP endpoint for both eras (2026-07-28 and 2025-03-26..2025-11-25
 * basic/transports). Thin: it authenticates, reads and classifies the body, picks the era
 * from MCP-Protocol-Version, and hands requests to the engine through an Exchange.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { classify, isId } from '../mcp/jsonrpc.js';
import { ErrorCodes, LEGACY_VERSIONS, META, MODERN_VERSION, SUPPORTED_VERSIONS, DEFAULT_LEGACY_VERSION } from '../mcp/protocol.js';
import type { JsonObject } from '../mcp/protocol.js';
import { headerMismatch, unsupportedVersion } from '../mcp/errors.js';
import { errorReply } from '../mcp/engine.js';
import { allows, principalKey, type Principal } from '../mcp/principal.js';
import { readBody } from './body.js';
import { checkStandardHeaders } from './headers.js';
import { rpcError, sendJson, sendReply } from './response-channel.js';
import { resolveEndpointOptions, RefusedError, type McpEndpointOptions } from './endpoint-options.js';
import { SessionStore } from './session-store.js';
import { Quotas } from './quotas.js';
import { QuotaExceededError } from '../mcp/bounds.js';
import { PendingRequests } from './pending-requests.js';
import { serveLegacy } from './legacy-post.js';
import { InFlightRequests, serveOne, safeHeaders } from './serve.js';
import { openSessionStream } from './session-stream.js';
import { ReplicaRelay } from './replica-relay.js';
import { sendStateRefusal } from './state-refusal.js';
import { watchEndpoint } from '../observability/sink.js';

/** The endpoint's request handlers. */
export interface McpEndpoint {
  post(req: IncomingMessage, res: ServerResponse): Promise<void>;
  get(req: IncomingMessage, res: ServerResponse): Promise<void>;
  delete(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): void;
}

const LEGACY = new Set<string>(LEGACY_VERSIONS);

/** Create the endpoint. */
export function createMcpEndpoint(options: McpEndpointOptions): McpEndpoint {
  const o = resolveEndpointOptions(options);
  const quotas = new Quotas(o.quotas);
  // Sessions live in the replicas' shared store when there is one (REDIS_URL), else in memory.
  const store = o.sessions === 'sessions' ? new SessionStore({ idleTimeoutMs: o.sessionIdleMs, quotas, ...(o.state ? { store: o.state } : {}) }) : undefined;
  const pending = new PendingRequests(undefined, quotas);
  const inFlight = new InFlightRequests();
  const relay = o.state ? new ReplicaRelay(o.state, pending, inFlight) : undefined;
  /** x-mcp-header mappings, compiled with each tool at registration. */
  const paramHeadersOf = (tool: string) => o.engine.services.registry.get('tool', tool)?.paramHeaders;
  const deps = { engine: o.engine, store, pending, quotas, inFlight, relay, insufficientScope: o.insufficientScope };
  // Read only when metrics are scraped.
  const unwatch = watchEndpoint(() => ({ streams: quotas.usage().streams, sessions: store?.size ?? 0 }));
  const listenLimits = Object.freeze({ maxSubscriptions: quotas.limits.subscriptionsPerSession, lifetimeMs: quotas.limits.streamLifetimeMs });

  async function principalOf(req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined> {
    try {
      return await o.authenticate(req);
    } catch (e) {
      if (e instanceof RefusedError) sendJson(res, e.refusal.status, e.refusal.body, e.refusal.headers);
      else sendJson(res, 500, rpcError(ErrorCodes.InternalError, 'Authentication failed unexpectedly'));
      return undefined;
    }
  }

  async function post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await principalOf(req, res);
    if (!principal) return;
    const ctype = req.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(ctype)) {
      return sendJson(res, 415, rpcError(ErrorCodes.InvalidRequest, 'Unsupported Media Type: send Content-Type: application/json'));
    }
    const accept = String(req.headers.accept ?? '');
    // transports §Sending Messages: the client MUST accept both JSON and SSE.
    if (!accepts(accept, 'application/json') || !accepts(accept, 'text/event-stream')) {
      return sendJson(res, 406, rpcError(ErrorCodes.InvalidRequest, 'Not Acceptable: the Accept header must list both application/json and text/event-stream'));
    }
    const body = await readBody(req, o.maxBodyBytes);
    if (!body.ok) {
      return sendJson(res, body.status, rpcError(body.status === 413 ? ErrorCodes.InvalidRequest : ErrorCodes.ParseError, body.reason), body.status === 413 ? { connection: 'close' } : {});
    }
    let value: unknown;
    try { value = JSON.parse(body.text); } catch {
      return sendJson(res, 400, rpcError(ErrorCodes.ParseError, 'Parse error: the body is not valid JSON'));
    }
    const headerVersion = req.headers['mcp-protocol-version'];
    const version = typeof headerVersion === 'string' ? headerVersion : undefined;
    if (version === MODERN_VERSION) return serveModern(req, res, principal, value);
    if (version !== undefined && !LEGACY.has(version)) {
      const r = errorReply(idOf(value), unsupportedVersion(version, SUPPORTED_VERSIONS), 'modern');
      return sendReply(res, r);
    }
    if (version === undefined && isModernShaped(value)) {
      // A request that carries 2026-07-28 _meta but no version header: the header is required.
      const r = errorReply(idOf(value), headerMismatch('the MCP-Protocol-Version header is required'), 'modern');
      return sendReply(res, r);
    }
    return serveLegacy(deps, req, res, principal, value, version ?? DEFAULT_LEGACY_VERSION);
  }

  async function serveModern(req: IncomingMessage, res: ServerResponse, principal: Principal, value: unknown): Promise<void> {
    if (Array.isArray(value)) return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, 'Batches are not supported in 2026-07-28: send one message per POST'));
    const c = classify(value);
    if (c.kind === 'invalid') return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, `Invalid Request: ${c.reason}`, c.id));
    if (c.kind === 'response') return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, 'Clients must not send JSON-RPC responses in 2026-07-28'));
    const mismatch = checkStandardHeaders(req.headers, MODERN_VERSION, c.message, paramHeadersOf);
    if (mismatch) {
      const r = errorReply(c.kind === 'request' ? c.message.id : null, mismatch, 'modern');
      return sendReply(res, r);
    }
    if (c.kind === 'notification') { res.writeHead(202).end(); return; }
    // Decide scope before doing any work (the headers named the operation and were just checked).
    const params = (c.message.params ?? {}) as JsonObject;
    const name = params.name ?? params.uri;
    const required = o.engine.requiredScopes(c.message.method, typeof name === 'string' ? name : undefined);
    if (!allows(required, principal.scopes) && o.insufficientScope) {
      const r = o.insufficientScope(required, req, principal);
      return sendJson(res, r.status, r.body, r.headers);
    }
    let streamLimits: typeof listenLimits | undefined;
    if (c.message.method === 'subscriptions/listen') {
      // A listen stream stays open until the client leaves: it takes a stream slot for as
      // long as the response is open, and gets a lifetime (quotas.ts).
      let release: () => void;
      try { release = quotas.openStream(principalKey(principal)); } catch (e) {
        if (e instanceof QuotaExceededError) return sendReply(res, errorReply(c.message.id, e, 'modern'));
        throw e;
      }
      res.once('close', release);
      streamLimits = listenLimits;
    }
    await serveOne(deps, req, res, {
      era: 'modern', protocolVersion: MODERN_VERSION, principal, headers: safeHeaders(req), request: c.message, streamLimits,
    });
  }

  async function get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!store || req.headers['mcp-protocol-version'] === MODERN_VERSION) {
      res.writeHead(405, { allow: 'POST' }).end(); return;
    }
    const principal = await principalOf(req, res);
    if (principal) await openSessionStream(deps, store, req, res, principalKey(principal));
  }

  async function del(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!store || req.headers['mcp-protocol-version'] === MODERN_VERSION) {
      res.writeHead(405, { allow: 'POST' }).end(); return;
    }
    const principal = await principalOf(req, res);
    if (!principal) return;
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string') return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, 'Bad Request: the Mcp-Session-Id header is required'));
    let deleted: boolean;
    // Owner-checked: another principal's session id is as unknown as a made-up one.
    try { deleted = await store.delete(id, principalKey(principal)); } catch (e) { return sendStateRefusal(res, e); }
    if (!deleted) return sendJson(res, 404, rpcError(ErrorCodes.InvalidRequest, 'Session not found'));
    res.writeHead(204).end();
  }

  return {
    post, get, delete: del,
    // This replica's streams end; the sessions stay in the store for the other replicas.
    close() { unwatch(); void store?.close(); void relay?.close(); o.engine.close(); },
  };
}

function accepts(accept: string, type: string): boolean {
  return accept.includes(type) || accept.includes('*/*');
}

function isModernShaped(value: unknown): boolean {
  const params = (value as { params?: { _meta?: Record<string, unknown> } } | null)?.params;
  return !Array.isArray(value) && typeof params?._meta === 'object' && params._meta !== null && META.protocolVersion in params._meta;
}

function idOf(value: unknown): string | number | null {
  const id = (value as { id?: unknown } | null)?.id;
  return isId(id) ? id : null;
}
