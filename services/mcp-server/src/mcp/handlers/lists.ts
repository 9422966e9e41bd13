/**
 * Shared list plumbing: scope filtering, pagination, and the 2026-07-28 cache hints
 * (`ttlMs`, `cacheScope`, server/utilities/caching). A page depends only on the scope-filtered
 * view, the offset and the era, so each is serialized once and reused until the catalogue
 * changes (the registry then hands out new views, and the old pages are collected with them).
 */
import type { Call } from '../call.js';
import type { Entry, Kind } from '../registry.js';
import { cursorOffset, pageAt } from '../pagination.js';
import type { JsonObject } from '../protocol.js';
import { rawMembers, type RawResult } from '../raw-result.js';

const pages = new WeakMap<readonly Entry[], Map<string, RawResult>>();
const MAX_PAGES_PER_VIEW = 64;

/** One page of a list result for the caller's scopes. */
export function listResult(call: Call, kind: Kind, field: string): RawResult {
  const { services, ex, params } = call;
  const items = services.registry.visible(kind, ex.principal.scopes);
  const offset = cursorOffset(params.cursor, kind, services.sealer);
  let cache = pages.get(items);
  if (!cache) { cache = new Map(); pages.set(items, cache); }
  const key = `${ex.era}:${offset}`;
  let page = cache.get(key);
  if (!page) {
    const p = pageAt(items, offset, kind, services.options.pageSize, services.sealer);
    const result: JsonObject = { [field]: p.items.map((e) => e.descriptor) };
    if (p.nextCursor) result.nextCursor = p.nextCursor;
    page = rawMembers(withCacheHints(call, result, services.options.listTtlMs, services.registry.hasScoped(kind) ? 'private' : 'public'));
    if (cache.size >= MAX_PAGES_PER_VIEW) cache.clear();
    cache.set(key, page);
  }
  return page;
}

/** Add cache hints on modern results only (they are not part of the 2025 schemas). */
export function withCacheHints(call: Call, result: JsonObject, ttlMs: number, scope: 'public' | 'private'): JsonObject {
  if (call.ex.era === 'modern') {
    result.ttlMs = ttlMs;
    result.cacheScope = scope;
  }
  return result;
}
