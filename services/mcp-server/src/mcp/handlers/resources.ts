/**
 * resources/list, resources/templates/list, resources/read, and the 2025 subscribe pair
 * (2026-07-28 server/resources; 2025-11-25 for subscribe/unsubscribe).
 */
import { MAX_URI_LENGTH } from '../bounds.js';
import { buildContext, withClientInput, type Call } from '../call.js';
import type { ReadResult } from '../define.js';
import { InsufficientScopeError, invalidParams, resourceNotFound } from '../errors.js';
import { allows } from '../principal.js';
import type { JsonObject } from '../protocol.js';
import type { RawResult } from '../raw-result.js';
import { NO_INPUT } from '../client-input.js';
import { listResult, withCacheHints } from './lists.js';
import { paginate } from '../pagination.js';
import type { RequestContext } from '../context.js';

/** resources/list: fixed resources, then what templates choose to enumerate. */
export async function listResources(call: Call): Promise<JsonObject | RawResult> {
  const { services, ex } = call;
  const templates = services.registry.visible('template', ex.principal.scopes).filter((t) => t.def.list);
  if (templates.length === 0) return listResult(call, 'resource', 'resources');
  const fixed = services.registry.visible('resource', ex.principal.scopes).map((e) => e.descriptor);
  const ctx = buildContext(call, NO_INPUT);
  const extra: JsonObject[] = [];
  for (const t of templates) for (const r of (await t.def.list!(ctx))) extra.push({ ...r } as JsonObject);
  const page = paginate([...fixed, ...extra], call.params.cursor, 'resource', services.options.pageSize, services.sealer);
  const result: JsonObject = { resources: page.items };
  if (page.nextCursor) result.nextCursor = page.nextCursor;
  return withCacheHints(call, result, services.options.listTtlMs, 'private');
}

/** resources/templates/list. */
export function listTemplates(call: Call): RawResult {
  return listResult(call, 'template', 'resourceTemplates');
}

/** resources/read: a fixed resource, else the first template that matches. */
export async function readResource(call: Call): Promise<JsonObject> {
  const { params, ex, services } = call;
  const uri = params.uri;
  if (typeof uri !== 'string' || uri.length === 0) throw invalidParams('params.uri must be a resource URI from resources/list or a template');
  const fixed = services.registry.get('resource', uri);
  let read: ((ctx: RequestContext) => Promise<ReadResult> | ReadResult) | undefined;
  let scopes: readonly string[] = [];
  let mimeType: string | undefined;
  if (fixed) {
    read = fixed.def.read; scopes = fixed.scopes; mimeType = fixed.def.mimeType;
  } else {
    for (const t of services.registry.all('template')) {
      const vars = t.matcher.match(uri);
      if (vars) { read = (ctx) => t.def.read(uri, vars, ctx); scopes = t.scopes; mimeType = t.def.mimeType; break; }
    }
  }
  if (!read) throw resourceNotFound(uri, ex.era);
  if (!allows(scopes, ex.principal.scopes)) throw new InsufficientScopeError(scopes);
  const reader = read;
  return withClientInput(call, uri, async (ctx) => {
    const out = await reader(ctx);
    if (out === undefined) throw resourceNotFound(uri, ex.era);
    const contents = normalize(uri, mimeType, out);
    return withCacheHints(call, { contents }, params.requestState === undefined ? services.options.readTtlMs : 0, 'private');
  });
}

function normalize(uri: string, mimeType: string | undefined, out: Exclude<ReadResult, undefined>): JsonObject[] {
  if (typeof out === 'string') return [{ uri, mimeType: mimeType ?? 'text/plain', text: out }];
  if (out instanceof Uint8Array) return [{ uri, mimeType: mimeType ?? 'application/octet-stream', blob: Buffer.from(out).toString('base64') }];
  return out as unknown as JsonObject[];
}

/**
 * resources/subscribe (2025 revisions): remember the URI on the session. The set lives as
 * long as the session, so only URIs that name a resource this principal may read are kept,
 * each capped in length; the transport caps their number (a BoundedSet throws its quota).
 */
export function subscribe(call: Call): JsonObject {
  const { params, ex, services } = call;
  const uri = params.uri;
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > MAX_URI_LENGTH) throw invalidParams(`params.uri must be the URI to subscribe to (at most ${MAX_URI_LENGTH} characters)`);
  const scopes = services.registry.get('resource', uri)?.scopes ?? services.registry.all('template').find((t) => t.matcher.match(uri))?.scopes;
  if (!scopes) throw resourceNotFound(uri, ex.era);
  if (!allows(scopes, ex.principal.scopes)) throw new InsufficientScopeError(scopes);
  ex.session?.subscriptions.add(uri);
  return {};
}

/** resources/unsubscribe (2025 revisions). */
export function unsubscribe(call: Call): JsonObject {
  const uri = call.params.uri;
  if (typeof uri !== 'string' || uri.length === 0) throw invalidParams('params.uri must be the URI to unsubscribe from');
  call.ex.session?.subscriptions.delete(uri);
  return {};
}

