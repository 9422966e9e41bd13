/**
 * The shared StateStore from configuration: Redis when REDIS_URL is set (several replicas),
 * else memory (one replica), and the change fan-out of the notification hub over its pub/sub.
 */
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { HubEvent, NotificationHub } from '../mcp/hub.js';
import type { Kind } from '../mcp/registry.js';
import { MemoryStore } from '../state/memory-store.js';
import type { StateStore } from '../state/store.js';

const HUB_CHANNEL = 'hub';
const KINDS = new Set<Kind>(['tool', 'prompt', 'resource', 'template']);

/** The store for this configuration; ioredis is loaded only when REDIS_URL is set. */
export async function stateStoreFromConfig(config: Config, logger: Logger): Promise<{ store: StateStore; shared: boolean }> {
  if (!config.REDIS_URL) return { store: new MemoryStore(), shared: false };
  const { connectRedisStore, redact } = await import('../state/redis-store.js');
  const store = await connectRedisStore({ url: config.REDIS_URL });
  logger.info('state shared through Redis', { redis: redact(config.REDIS_URL) });
  return { store, shared: true };
}

/**
 * Every list change and resourceUpdated(uri) raised on any replica reaches the listeners
 * (subscriptions/listen, 2025 GET streams) on every replica: the hub publishes each change
 * and delivers what the channel brings. Redis re-subscribes by itself after an outage.
 */
export async function shareHub(hub: NotificationHub, store: StateStore, logger: Logger): Promise<() => Promise<void>> {
  const stop = await store.subscribe(HUB_CHANNEL, (message) => {
    const e = parse(message);
    if (e) hub.deliver(e); else logger.warn('ignored a malformed hub event', { length: message.length });
  });
  hub.relayThrough(async (e) => {
    try { await store.publish(HUB_CHANNEL, JSON.stringify(e)); } catch (err) {
      logger.warn('could not share a change with the other replicas; delivered here only', { error: (err as Error).message });
      throw err;
    }
  });
  return stop;
}

function parse(message: string): HubEvent | undefined {
  try {
    const e = JSON.parse(message) as Partial<{ t: string; kind: Kind; uri: string }>;
    if (e.t === 'list' && e.kind && KINDS.has(e.kind)) return { t: 'list', kind: e.kind };
    if (e.t === 'updated' && typeof e.uri === 'string' && e.uri.length <= 2048) return { t: 'updated', uri: e.uri };
  } catch { /* fall through */ }
  return undefined;
}
