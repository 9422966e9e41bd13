/**
 * Validate wire messages against the published MCP JSON schemas (copied into test/fixtures,
 * Apache-2.0/MIT data from the specification repository).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Version = '2026-07-28' | '2025-11-25';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const cache = new Map<string, ValidateFunction>();
const instances = new Map<Version, Ajv2020>();

function ajvFor(version: Version): Ajv2020 {
  let ajv = instances.get(version);
  if (!ajv) {
    const path = fileURLToPath(new URL(`../fixtures/schema-${version}.json`, import.meta.url));
    const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...schema, $id: `mcp-${version}` });
    instances.set(version, ajv);
  }
  return ajv;
}

/** The validator for one `$defs` entry of a schema version. */
export function validator(def: string, version: Version = '2026-07-28'): ValidateFunction {
  const key = `${version}#${def}`;
  let v = cache.get(key);
  if (!v) {
    const ajv = ajvFor(version);
    const found = ajv.getSchema(`mcp-${version}#/$defs/${def}`);
    if (!found) throw new Error(`No $defs/${def} in the ${version} schema`);
    v = found;
    cache.set(key, v);
  }
  return v;
}

/** Throw a readable error unless `value` conforms to `$defs/<def>`. */
export function assertSchema(def: string, value: unknown, version: Version = '2026-07-28'): void {
  const v = validator(def, version);
  if (!v(value)) {
    throw new Error(`Not a valid ${version} ${def}: ${JSON.stringify(v.errors?.slice(0, 5), null, 1)}\nvalue: ${JSON.stringify(value).slice(0, 2000)}`);
  }
}

/** Result definition for each modern method's successful result. */
export const RESULT_DEF: Readonly<Record<string, string>> = {
  'tools/list': 'ListToolsResult',
  'tools/call': 'CallToolResult',
  'prompts/list': 'ListPromptsResult',
  'prompts/get': 'GetPromptResult',
  'resources/list': 'ListResourcesResult',
  'resources/templates/list': 'ListResourceTemplatesResult',
  'resources/read': 'ReadResourceResult',
  'completion/complete': 'CompleteResult',
  'server/discover': 'DiscoverResult',
  'subscriptions/listen': 'SubscriptionsListenResult',
};

/**
 * Validate a whole modern response: the JSON-RPC envelope, and the result against its
 * method's result type (or InputRequiredResult), or the error.
 */
export function assertModernResponse(method: string, response: unknown): void {
  const r = response as { result?: Record<string, unknown>; error?: unknown };
  if (r.error !== undefined) { assertSchema('JSONRPCErrorResponse', response); return; }
  assertSchema('JSONRPCResultResponse', response);
  const def = r.result?.resultType === 'input_required' ? 'InputRequiredResult' : RESULT_DEF[method];
  if (!def) throw new Error(`No result schema known for ${method}`);
  assertSchema(def, r.result);
}

/** Validate a legacy (2025-11-25) response envelope and result. */
export function assertLegacyResponse(def: string | undefined, response: unknown): void {
  const r = response as { result?: unknown; error?: unknown };
  if (r.error !== undefined) { assertSchema('JSONRPCErrorResponse', response, '2025-11-25'); return; }
  assertSchema('JSONRPCResultResponse', response, '2025-11-25');
  if (def) assertSchema(def, r.result, '2025-11-25');
}
