/**
 * `x-mcp-header` (2026-07-28 server/tools §x-mcp-header, basic/transports/streamable-http
 * §Custom Headers from Tool Parameters): which tool arguments a client mirrors into
 * `Mcp-Param-{Name}` headers. Found and checked once per tool at registration, so a request
 * only walks a short, precomputed list.
 */
import type { JsonObject } from './protocol.js';

/** One argument mirrored into a header. */
export interface ParamHeader {
  /** The `x-mcp-header` value, e.g. `Region`. */
  readonly name: string;
  /** Lower-cased HTTP header name as Node exposes it, e.g. `mcp-param-region`. */
  readonly header: string;
  /** Chain of `properties` keys from the arguments object to the value. */
  readonly path: readonly string[];
  readonly type: 'string' | 'integer' | 'boolean';
}

const KEYWORD = 'x-mcp-header';
/** RFC 9110 §5.1 field-name: 1*tchar. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(['string', 'integer', 'boolean']);
/** Keywords whose value is a map of name → subschema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is a subschema or an array of subschemas. */
const SUBSCHEMAS = new Set([
  'items', 'prefixItems', 'additionalItems', 'contains', 'additionalProperties', 'propertyNames', 'unevaluatedItems',
  'unevaluatedProperties', 'not', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf',
]);

/**
 * Find every `x-mcp-header` in a tool's input schema and check the spec's constraints: a
 * non-empty token, unique case-insensitively, on a string/integer/boolean property reachable
 * from the root through `properties` keys only. Throws a TypeError naming the tool otherwise
 * (a client MUST drop such a tool, so serving it would only hide it).
 */
export function compileParamHeaders(tool: string, inputSchema: JsonObject): readonly ParamHeader[] {
  const found: ParamHeader[] = [];
  const fail = (where: string, why: string): never => {
    throw new TypeError(`Tool "${tool}": x-mcp-header at ${where || '(root)'} ${why}`);
  };
  const walk = (node: unknown, where: string, path: string[] | undefined): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const schema = node as JsonObject;
    if (KEYWORD in schema) {
      const name = schema[KEYWORD];
      if (!path || path.length === 0) fail(where, 'must be on a property reached from the root through "properties" only (not items, $ref, $defs or composition keywords)');
      if (typeof name !== 'string' || !TOKEN.test(name)) fail(where, `must be a non-empty HTTP token (RFC 9110 §5.1), got ${JSON.stringify(name)}`);
      const type = primitiveType(schema.type);
      if (!type) fail(where, `needs "type" string, integer or boolean (not number), got ${JSON.stringify(schema.type)}`);
      const header = `mcp-param-${(name as string).toLowerCase()}`;
      if (found.some((f) => f.header === header)) fail(where, `"${name as string}" is used twice (case-insensitively)`);
      found.push(Object.freeze({ name: name as string, header, path: Object.freeze([...path!]), type: type! }));
    }
    for (const [key, value] of Object.entries(schema)) {
      if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
        for (const [child, sub] of Object.entries(value as JsonObject)) {
          walk(sub, `${where}/${key}/${child}`, key === 'properties' && path ? [...path, child] : undefined);
        }
      } else if (SUBSCHEMAS.has(key)) {
        const subs = Array.isArray(value) ? value : [value];
        subs.forEach((sub, i) => walk(sub, `${where}/${key}${Array.isArray(value) ? `/${i}` : ''}`, undefined));
      }
    }
  };
  walk(inputSchema, '', []);
  return Object.freeze(found);
}

/** The declared primitive type; `["string", "null"]` counts (a null value sends no header). */
function primitiveType(type: unknown): ParamHeader['type'] | undefined {
  const types = Array.isArray(type) ? type.filter((t) => t !== 'null') : [type];
  return types.length === 1 && PRIMITIVE.has(types[0] as string) ? (types[0] as ParamHeader['type']) : undefined;
}
