/**
 * The 2025-revision GET stream: a session's channel for list-changed and resource-updated
 * notifications (2025-11-25 transports §Listening for Messages from the Server).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCodes } from '../mcp/protocol.js';
import { QuotaExceededError } from '../mcp/bounds.js';
import { ResponseChannel, rpcError, sendJson, sendQuotaRefusal } from './response-channel.js';
import type { SessionStore } from './session-store.js';
import { sendStateRefusal } from './state-refusal.js';
import type { Deps } from './serve.js';

/**
 * Open the GET SSE stream for the caller's session. The session may live on any replica: the
 * stream follows its subscriptions and its end through the store's session events.
 */
export async function openSessionStream(deps: Deps, store: SessionStore, req: IncomingMessage, res: ServerResponse, owner: string): Promise<void> {
  if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
    return sendJson(res, 406, rpcError(ErrorCodes.InvalidRequest, 'Not Acceptable: the GET stream needs Accept: text/event-stream'));
  }
  const id = req.headers['mcp-session-id'];
  if (typeof id !== 'string') return sendJson(res, 400, rpcError(ErrorCodes.InvalidRequest, 'Bad Request: the Mcp-Session-Id header is required'));
  let session;
  try { session = await store.get(id, owner); } catch (e) { return sendStateRefusal(res, e); }
  if (!session) return sendJson(res, 404, rpcError(ErrorCodes.InvalidRequest, 'Session not found'));
  let release: () => void;
  try { release = deps.quotas.openStream(owner, id); } catch (e) {
    if (e instanceof QuotaExceededError) return sendQuotaRefusal(res, e);
    throw e;
  }
  const channel = new ResponseChannel(res, { 'mcp-session-id': id });
  const subscriptions = session.subscriptions;
  const remove = deps.engine.services.hub.add(
    {
      filter: { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: subscriptions },
      send: (method, params) => channel.send({ jsonrpc: '2.0', method, params }),
    },
    () => res.end(),
  );
  const stopListening = store.watch(id, {
    onEnd: () => res.end(),
    // resources/subscribe on any replica: the hub filter reads this set, so refill it in place.
    onSubscriptions: (uris) => { subscriptions.clear(); for (const u of uris) { try { subscriptions.add(u); } catch { break; } } },
  });
  // No stream lives forever: at its lifetime it ends and the client opens a new one
  // (2025-11-25 transports §Listening for Messages: the client MAY reconnect).
  const lifetime = setTimeout(() => res.end(), deps.quotas.limits.streamLifetimeMs);
  lifetime.unref();
  res.once('close', () => { clearTimeout(lifetime); remove(); stopListening(); release(); });
  // Flush headers now so the client sees the stream open before any notification arrives.
  channel.open();
}
