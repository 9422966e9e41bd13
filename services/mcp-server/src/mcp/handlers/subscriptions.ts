/**
 * subscriptions/listen (2026-07-28 basic/patterns/subscriptions): acknowledge the honoured
 * filter first, then hold the stream open and deliver opted-in notifications tagged with the
 * subscription id, until the client closes the stream or the server shuts down.
 */
import type { Call } from '../call.js';
import { invalidParams } from '../errors.js';
import type { SinkFilter } from '../hub.js';
import { META, type JsonObject } from '../protocol.js';

const FLAGS = ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'] as const;
const MAX_URIS = 1000;

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
    if (!Array.isArray(uris) || uris.length > MAX_URIS || uris.some((u) => typeof u !== 'string')) {
      throw invalidParams(`resourceSubscriptions must be an array of at most ${MAX_URIS} URI strings`);
    }
    honoured.resourceSubscriptions = uris;
    filter.resourceSubscriptions = new Set(uris as string[]);
  }
  const tag = { [META.subscriptionId]: id };
  // §Acknowledgment: MUST be the first message and carry the subscription id.
  ex.notify({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { _meta: tag, notifications: honoured } });
  await new Promise<void>((resolve) => {
    if (ex.signal.aborted) return resolve();
    const remove = services.hub.add(
      { filter, send: (method, p) => ex.notify({ jsonrpc: '2.0', method, params: { ...p, _meta: tag } }) },
      resolve,
    );
    ex.signal.addEventListener('abort', () => { remove(); resolve(); }, { once: true });
  });
  // §Graceful Closure: a completion result tagged with the subscription id.
  return { _meta: tag };
}
