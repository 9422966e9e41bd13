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
import { sendStateRefusal } from './state-refusal.js';

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

  const responseHeaders: Record<string, string> = {};
  let session: LegacySession;
  try {
    const opened = await sessionFor(deps, req, res, owner, version, isInit, classified[0]);
    if (!opened) return;
    session = opened;
  } catch (e) { return sendStateRefusal(res, e); }
  if (isInit && session.id) responseHeaders['mcp-session-id'] = session.id;

  const requests = classified.filter((c): c is Extract<Classified, { kind: 'request' }> => c.kind === 'request');
  try {
    for (const c of classified) {
      if (c.kind === 'notification' && c.message.method === 'notifications/cancelled') await cancel(deps, owner, session.id, (c.message.params as { requestId?: unknown } | undefined)?.requestId);
      if (c.kind === 'notification') deps.engine.notification(c.message, { era: 'legacy', protocolVersion: version, principal, headers: {}, signal: new AbortController().signal, session, notify() {} });
      else if (c.kind === 'response') await (deps.relay ? deps.relay.reply(owner, c.message) : deps.pending.settle(owner, c.message));
    }
    // notifications/initialized is stored before its 202: the next request may go elsewhere.
    if (requests.length === 0 && session.id && deps.store) await deps.store.save(session);
  } catch (e) { return sendStateRefusal(res, e); }
  if (requests.length === 0) { res.writeHead(202, responseHeaders).end(); return; }
  const headers = safeHeaders(req);
  if (requests.length === 1 && !Array.isArray(value)) {
    const r = await serveOne(deps, req, res, { era: 'legacy', protocolVersion: session.protocolVersion, principal, headers, request: requests[0].message, session, responseHeaders });
    if (isInit && deps.store && session.id && res.statusCode !== 200) await deps.store.delete(session.id).catch(() => {});
    return r;
  }
  // A 2025-03-26 batch: answer every request in one JSON array.
  const s = session;
  const bodies = await Promise.all(requests.map((c) => deps.engine.dispatch(c.message, {
    era: 'legacy', protocolVersion: s.protocolVersion, principal, headers, signal: new AbortController().signal, session: s, notify() {},
  })));
  if (s.id && deps.store) {
    try { await deps.store.save(s); } catch (e) { return sendStateRefusal(res, e); }
  }
  sendJson(res, 200, bodies.map((b) => JSON.parse(b.body) as unknown), responseHeaders);
}

/**
 * The request's session: a new one for initialize, the named one otherwise (404 when unknown,
 * expired or another principal's), or a throwaway one when serving statelessly. Undefined
 * when a refusal was sent; throws the store's StateError when it cannot tell.
 */
async function sessionFor(deps: Deps, req: IncomingMessage, res: ServerResponse, owner: string, version: string, isInit: boolean, first: Classified): Promise<LegacySession | undefined> {
  if (!deps.store) return { owner, protocolVersion: version, subscriptions: new Set(), initialized: true, lastSeen: Date.now() };
  if (isInit) {
    try { return await deps.store.create(owner); } catch (e) {
      if (e instanceof QuotaExceededError) { sendQuotaRefusal(res, e, (first as { message: { id?: string | number } }).message.id ?? null); return undefined; }
      throw e;
    }
  }
  const id = req.headers['mcp-session-id'];
  if (typeof id !== 'string') { sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, 'Bad Request: the Mcp-Session-Id header is required; send initialize first')); return undefined; }
  const session = await deps.store.get(id, owner);
  // transports §Session Management: an unknown or terminated session id gets 404.
  if (!session) sendJson(res, 404, rpcError(ErrorCodes.InvalidRequest, 'Session not found: initialize a new session'));
  return session;
}

/** notifications/cancelled: abort the request here, or on the replica that runs it. */
async function cancel(deps: Deps, owner: string, sessionId: string | undefined, requestId: unknown): Promise<void> {
  if (deps.relay) await deps.relay.cancel(owner, sessionId, requestId);
  else deps.inFlight.cancel(owner, sessionId, requestId);
}
