/**
 * subscriptions/listen (2026-07-28 basic/patterns/subscriptions): acknowledge the honoured
 * filter first, then hold the stream open and deliver opted-in notifications tagged with the
 * subscription id, until the client closes the stream, the server shuts down, or the stream
 * reaches the lifetime the transport set.
 */
import { MAX_URI_LENGTH, QuotaExceededError } from '../bounds.js';
import type { Call } from '../call.js';
import { invalidParams } from '../errors.js';
import type { SinkFilter } from '../hub.js';
import { META, type JsonObject } from '../protocol.js';

const FLAGS = ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'] as const;
/** URIs one stream may watch when the transport sets no quota (STDIO, embedding). */
const DEFAULT_MAX_URIS = 100;

/** subscriptions/listen. */
export async function listen(call: Call): Promise<JsonObject> {
  const { params, ex, services, id } = call;
  const requested = params.notifications;
  if (requested === null || typeof requested !== 'object' || Array.isArray(requested)) {
    throw invalidParams('subscriptions/listen needs params.notifications, e.g. { "toolsListChanged": true }');
  }
  const req = requested as JsonObject;
  const honoured: JsonObject = {};
  const filter: { -readonly [K in keyof SinkFilter]: SinkFilter[K] } = {};
  for (const f of FLAGS) if (req[f] === true) { honoured[f] = true; filter[f] = true; }
  if (req.resourceSubscriptions !== undefined) {
    const uris = req.resourceSubscriptions;
    if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string' || u.length === 0 || u.length > MAX_URI_LENGTH)) {
      throw invalidParams(`resourceSubscriptions must be an array of URI strings of 1 to ${MAX_URI_LENGTH} characters`);
    }
    // The filter lives as long as the stream: its size is a quota, refused with its name.
    const max = ex.streamLimits?.maxSubscriptions ?? DEFAULT_MAX_URIS;
    if (new Set(uris).size > max) {
      throw new QuotaExceededError('MCP_MAX_SUBSCRIPTIONS_PER_SESSION', max, 'resource URIs per subscriptions/listen stream', 'watch fewer resources per stream');
    }
    honoured.resourceSubscriptions = uris;
    filter.resourceSubscriptions = new Set(uris as string[]);
  }
  const tag = { [META.subscriptionId]: id };
  // §Acknowledgment: MUST be the first message and carry the subscription id.
  ex.notify({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { _meta: tag, notifications: honoured } });
  await new Promise<void>((resolve) => {
    if (ex.signal.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    const end = () => { clearTimeout(timer); remove(); resolve(); };
    const remove = services.hub.add(
      { filter, send: (method, p) => ex.notify({ jsonrpc: '2.0', method, params: { ...p, _meta: tag } }) },
      end,
    );
    // A stream may not live forever: at its lifetime it closes gracefully like at shutdown,
    // and the client opens a new one (§Graceful Closure).
    const lifetime = ex.streamLimits?.lifetimeMs;
    if (lifetime !== undefined) timer = setTimeout(end, lifetime);
    ex.signal.addEventListener('abort', end, { once: true });
  });
  // §Graceful Closure: a completion result tagged with the subscription id.
  return { _meta: tag };
}
