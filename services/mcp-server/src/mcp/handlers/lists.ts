/**
 * Shared list plumbing: scope filtering, pagination, and the 2026-07-28 cache hints
 * (`ttlMs`, `cacheScope`, server/utilities/caching).
 */
import type { Call } from '../call.js';
import type { Kind } from '../registry.js';
import { paginate } from '../pagination.js';
import type { JsonObject } from '../protocol.js';

/** One page of a list result for the caller's scopes. */
export function listResult(call: Call, kind: Kind, field: string): JsonObject {
  const { services, ex, params } = call;
  const items = services.registry.visible(kind, ex.principal.scopes);
  const page = paginate(items, params.cursor, kind, services.options.pageSize, services.sealer);
  const result: JsonObject = { [field]: page.items.map((e) => e.descriptor) };
  if (page.nextCursor) result.nextCursor = page.nextCursor;
  return withCacheHints(call, result, services.options.listTtlMs, services.registry.hasScoped(kind) ? 'private' : 'public');
}

/** Add cache hints on modern results only (they are not part of the 2025 schemas). */
export function withCacheHints(call: Call, result: JsonObject, ttlMs: number, scope: 'public' | 'private'): JsonObject {
  if (call.ex.era === 'modern') {
    result.ttlMs = ttlMs;
    result.cacheScope = scope;
  }
  return result;
}
