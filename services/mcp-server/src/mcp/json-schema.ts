/**
 * Plain JSON Schema 2020-12 for tool input and output (the alternative to zod): checked and
 * compiled once at registration with ajv's 2020-12 dialect, validated per call with messages
 * that name the field and never echo the value.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonObject } from './protocol.js';

/** A JSON Schema object (2020-12 is the default dialect, 2025-11-25 §JSON Schema Usage). */
export type JsonSchema = { readonly [keyword: string]: unknown };

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

let shared: Ajv2020 | undefined;

/**
 * One ajv instance for every tool. `addUsedSchema: false` keeps each schema's `$id` out of the
 * instance, so two tools may reuse an `$id`. No `loadSchema`: a `$ref` to a network URI is a
 * start-up error, never a fetch (SEP-2106 §Security Implications). Unknown keywords such as
 * `x-mcp-header` are annotations, so strict mode is off; invalid schemas are still refused.
 */
function ajv(): Ajv2020 {
  return (shared ??= new Ajv2020({ strict: false, allErrors: true, addUsedSchema: false, validateFormats: false }));
}

/** Outcome of validating one value. */
export type Checked = { ok: true; data: unknown } | { ok: false; message: string };
/** A compiled validator. */
export type Validator = (value: unknown) => Checked;

/** True for a plain object (not null, not an array, not a zod schema). */
export function isPlainSchema(v: unknown): v is JsonSchema {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !('_zod' in v);
}

/**
 * Check and compile a JSON Schema for a tool's `inputSchema` / `outputSchema`. Throws a
 * TypeError naming the tool when it is not an object schema or does not compile. Returns the
 * validator and a frozen deep copy to list verbatim (`$schema`, `$defs`, `$ref` kept).
 */
export function compileJsonSchema(tool: string, field: 'inputSchema' | 'outputSchema', schema: unknown): { validate: Validator; listed: JsonObject } {
  if (!isPlainSchema(schema)) throw new TypeError(`Tool "${tool}": ${field} must be a JSON Schema object`);
  // 2025-11-25 server/tools: inputSchema and outputSchema are object schemas (arguments and
  // structuredContent are objects).
  if (schema.type !== 'object') throw new TypeError(`Tool "${tool}": ${field} must have "type": "object" at its root`);
  if (schema.$schema !== undefined && schema.$schema !== DIALECT) {
    throw new TypeError(`Tool "${tool}": ${field} must use JSON Schema 2020-12 ($schema "${DIALECT}" or none), got ${JSON.stringify(schema.$schema)}`);
  }
  let listed: JsonObject;
  try {
    listed = structuredClone(schema) as JsonObject;
  } catch {
    throw new TypeError(`Tool "${tool}": ${field} must be plain JSON data`);
  }
  let fn: ValidateFunction;
  try {
    fn = ajv().compile(listed);
  } catch (e) {
    throw new TypeError(`Tool "${tool}": ${field} is not a valid JSON Schema 2020-12: ${(e as Error).message}`, { cause: e });
  }
  // The handler gets a copy, as with zod: the request's arguments stay as received (they are
  // part of an MRTR requestState's identity).
  const validate: Validator = (value) => (fn(value) ? { ok: true, data: structuredClone(value) } : { ok: false, message: formatAjvErrors(fn.errors ?? []) });
  return { validate, listed: deepFreeze(listed) };
}

/** Summarize ajv errors as "path: message" pairs, like zod's; never echoes input values. */
export function formatAjvErrors(errors: readonly ErrorObject[]): string {
  const seen = new Set<string>();
  for (const e of errors) {
    let path = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~') : '';
    // Missing and unexpected properties are named by the schema's key, not by a value.
    if (e.keyword === 'required') path = path ? `${path}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
    if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      const key = String(e.params.additionalProperty ?? e.params.unevaluatedProperty ?? '');
      path = path ? `${path}.${key}` : key;
    }
    // ajv's messages quote schema constants (allowed values, patterns), never the instance.
    seen.add(`${path || '(root)'}: ${e.message ?? 'is invalid'}`);
    if (seen.size === 5) break;
  }
  return [...seen].join('; ');
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}
