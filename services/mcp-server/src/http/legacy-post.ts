/**
 * POST for the 2025 revisions: sessions (optional), batches (2025-03-26 only), client
 * responses to our server-to-client requests, and notifications (202).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { classify, type Classified } from '../mcp/jsonrpc.js';
import type { LegacySession } from '../mcp/exchange.js';
import { principalKey, type Principal } from '../mcp/principal.js';
import { ErrorCodes } from '../mcp/protocol.js';
import { QuotaExceededError } from '../mcp/bounds.js';
import { rpcError, sendJson, sendQuotaRefusal } from './response-channel.js';
import { safeHeaders, serveOne, type Deps } from './serve.js';

/** Serve a legacy POST body (one message or a 2025-03-26 batch). */
export async function serveLegacy(deps: Deps, req: IncomingMessage, res: ServerResponse, principal: Principal, value: unknown, version: string): Promise<void> {
  const owner = principalKey(principal);
  const messages = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && (version !== '2025-03-26' || value.length === 0 || value.length > 100)) {
    // Batching was added in 2025-03-26 and removed in 2025-06-18.
    return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, value.length === 0 ? 'Invalid Request: empty batch' : 'Batches are only supported by protocol version 2025-03-26 (at most 100 messages)'));
  }
  const classified = messages.map(classify);
  const invalid = classified.find((c): c is Extract<Classified, { kind: 'invalid' }> => c.kind === 'invalid');
  if (invalid) return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, `Invalid Request: ${invalid.reason}`, invalid.id));
  const isInit = classified.some((c) => c.kind === 'request' && c.message.method === 'initialize');
  if (isInit && classified.length > 1) return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, 'initialize must not be part of a batch'));

  let session: LegacySession | undefined;
  const responseHeaders: Record<string, string> = {};
  if (deps.store) {
    if (isInit) {
      try { session = deps.store.create(owner); } catch (e) {
        if (e instanceof QuotaExceededError) return sendQuotaRefusal(res, e, (classified[0] as { message: { id?: string | number } }).message.id ?? null);
        throw e;
      }
      responseHeaders['mcp-session-id'] = session.id!;
    } else {
      const id = req.headers['mcp-session-id'];
      if (typeof id !== 'string') return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, 'Bad Request: the Mcp-Session-Id header is required; send initialize first'));
      session = deps.store.get(id, owner);
      // transports §Session Management: an unknown or terminated session id gets 404.
      if (!session) return sendJson(res, 404, rpcError(ErrorCodes.InvalidRequest, 'Session not found: initialize a new session'));
    }
  } else {
    session = { owner, protocolVersion: version, subscriptions: new Set(), initialized: true, lastSeen: Date.now() };
  }

  const requests = classified.filter((c): c is Extract<Classified, { kind: 'request' }> => c.kind === 'request');
  for (const c of classified) {
    if (c.kind === 'notification' && c.message.method === 'notifications/cancelled') deps.inFlight?.cancel(owner, session.id, (c.message.params as { requestId?: unknown } | undefined)?.requestId);
    if (c.kind === 'notification') deps.engine.notification(c.message, { era: 'legacy', protocolVersion: version, principal, headers: {}, signal: new AbortController().signal, session, notify() {} });
    else if (c.kind === 'response') deps.pending.settle(owner, c.message);
  }
  if (requests.length === 0) { res.writeHead(202, responseHeaders).end(); return; }
  const headers = safeHeaders(req);
  if (requests.length === 1 && !Array.isArray(value)) {
    const r = await serveOne(deps, req, res, { era: 'legacy', protocolVersion: session.protocolVersion, principal, headers, request: requests[0].message, session, responseHeaders });
    if (isInit && deps.store && session.id && res.statusCode !== 200) deps.store.delete(session.id);
    return r;
  }
  // A 2025-03-26 batch: answer every request in one JSON array.
  const s = session;
  const bodies = await Promise.all(requests.map((c) => deps.engine.dispatch(c.message, {
    era: 'legacy', protocolVersion: s.protocolVersion, principal, headers, signal: new AbortController().signal, session: s, notify() {},
  })));
  sendJson(res, 200, bodies.map((b) => JSON.parse(b.body) as unknown), responseHeaders);
}
