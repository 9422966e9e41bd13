/**
 * Registration-time compilation: zod schemas become JSON Schema 2020-12 once, and each
 * primitive's wire descriptor is built once, so list and call paths only look things up.
 */
import { z } from 'zod';
import type { Listing, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from './define.js';
import { compileJsonSchema, type Validator } from './json-schema.js';
import { compileParamHeaders, type ParamHeader } from './param-headers.js';
import type { JsonObject } from './protocol.js';
import { compileUriTemplate, type UriTemplate } from './uri-template.js';

/** Tool and prompt names: SEP-986 (2025-11-25 server/tools §Tool Names). */
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** What every compiled entry carries: its wire descriptor is built once, here. */
interface Compiled<K extends string, D> {
  readonly kind: K;
  readonly name: string;
  readonly def: D;
  readonly scopes: readonly string[];
  /** True when lists show it only to principals holding one of its scopes. */
  readonly listedWhenPermitted: boolean;
  readonly descriptor: Readonly<JsonObject>;
}
/** A tool ready to list and call: validators and header mappings are built once, here. */
export interface CompiledTool extends Compiled<'tool', ToolDefinition<z.ZodObject, z.ZodType | undefined>> {
  /** Validates `arguments`; `data` is what the handler receives (a parsed copy). */
  readonly input: Validator;
  /** Validates structured output, when the tool declares an output schema. */
  readonly output?: Validator;
  /** Arguments a 2026-07-28 HTTP client mirrors into `Mcp-Param-*` headers (`x-mcp-header`). */
  readonly paramHeaders: readonly ParamHeader[];
}
/** A prompt ready to list and get. */
export type CompiledPrompt = Compiled<'prompt', PromptDefinition>;
/** A fixed resource. */
export type CompiledResource = Compiled<'resource', ResourceDefinition>;
/** A resource template, with its URI matcher. */
export interface CompiledTemplate extends Compiled<'template', ResourceTemplateDefinition> {
  readonly matcher: UriTemplate;
}

/** Convert a zod schema to a JSON Schema object for the wire. */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  // 2020-12 is the default dialect when `$schema` is absent (2025-11-25 §JSON Schema Usage);
  // leaving it out keeps draft-07 validators in older clients from tripping over the URI.
  delete json.$schema;
  return json;
}

function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    const hint = typeof name === 'string' ? ` (did you mean "${name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 128)}"?)` : '';
    throw new TypeError(`Invalid ${kind} name ${JSON.stringify(name)}: use 1-128 characters from A-Z a-z 0-9 _ - .${hint}`);
  }
  return name;
}

function freezeScopes(scopes: readonly string[] | undefined): readonly string[] {
  if (scopes !== undefined && (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string' || s.length === 0 || /\s/.test(s)))) {
    throw new TypeError(`scopes must be an array of non-empty scope tokens without spaces, got ${JSON.stringify(scopes)}`);
  }
  return Object.freeze([...(scopes ?? [])]);
}

/** The scope fields every compiled entry carries, validated once. */
function access(kind: string, name: string, def: { scopes?: readonly string[]; listing?: Listing }): { scopes: readonly string[]; listedWhenPermitted: boolean } {
  const listing = def.listing ?? 'permitted';
  if (listing !== 'permitted' && listing !== 'always') {
    throw new TypeError(`${kind} "${name}": listing must be 'permitted' or 'always', got ${JSON.stringify(listing)}`);
  }
  const scopes = freezeScopes(def.scopes);
  return { scopes, listedWhenPermitted: listing === 'permitted' && scopes.length > 0 };
}

function common(def: { title?: string; icons?: unknown; _meta?: JsonObject }): JsonObject {
  const out: JsonObject = {};
  if (def.title !== undefined) out.title = def.title;
  if (def.icons !== undefined) out.icons = def.icons;
  if (def._meta !== undefined) out._meta = def._meta;
  return out;
}

/** Compile a tool definition. */
export function compileTool(def: ToolDefinition<z.ZodObject, z.ZodType | undefined>): CompiledTool {
  const name = checkName('tool', def.name);
  if (typeof def.handler !== 'function') throw new TypeError(`Tool "${name}" needs a handler function`);
  if (def.input !== undefined && def.inputSchema !== undefined) throw new TypeError(`Tool "${name}": give input (zod) or inputSchema (JSON Schema), not both`);
  if (def.output !== undefined && def.outputSchema !== undefined) throw new TypeError(`Tool "${name}": give output (zod) or outputSchema (JSON Schema), not both`);
  let inputSchema: JsonObject;
  let input: Validator;
  if (def.inputSchema !== undefined) {
    ({ listed: inputSchema, validate: input } = compileJsonSchema(name, 'inputSchema', def.inputSchema));
  } else {
    inputSchema = def.input ? toJsonSchema(def.input, 'input') : { type: 'object', properties: {} };
    if (inputSchema.type !== 'object') throw new TypeError(`Tool "${name}": input must be a z.object(...) schema`);
    input = def.input ? zodValidator(def.input) : (args) => ({ ok: true, data: structuredClone(args) });
  }
  const descriptor: JsonObject = { name, ...common(def), description: def.description, inputSchema };
  let output: Validator | undefined;
  if (def.outputSchema !== undefined) {
    ({ listed: descriptor.outputSchema, validate: output } = compileJsonSchema(name, 'outputSchema', def.outputSchema));
  } else if (def.output) {
    const out = toJsonSchema(def.output, 'output');
    if (out.type !== 'object') throw new TypeError(`Tool "${name}": output must be an object schema (structuredContent is an object)`);
    descriptor.outputSchema = out;
    output = zodValidator(def.output);
  }
  if (def.annotations) descriptor.annotations = def.annotations;
  if (def.task !== undefined && def.task !== 'optional' && def.task !== 'required') throw new TypeError(`Tool "${name}": task must be 'optional' or 'required', got ${JSON.stringify(def.task)}`);
  if (def.beforeTask !== undefined && (def.task === undefined || typeof def.beforeTask !== 'function')) throw new TypeError(`Tool "${name}": beforeTask needs task: 'optional' or 'required' and must be a function`);
  const paramHeaders = compileParamHeaders(name, inputSchema);
  return Object.freeze({ kind: 'tool', name, def, ...access('Tool', name, def), descriptor: Object.freeze(descriptor), input, output, paramHeaders });
}

/** A zod schema as a {@link Validator}; `data` is zod's parsed output. */
function zodValidator(schema: z.ZodType): Validator {
  return (value) => {
    const r = schema.safeParse(value);
    return r.success ? { ok: true, data: r.data } : { ok: false, message: formatIssues(r.error) };
  };
}

/** Summarize zod issues as "path: message" pairs; never echoes the input values. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Compile a prompt definition; arguments come from the zod object's string fields. */
export function compilePrompt(def: PromptDefinition): CompiledPrompt {
  const name = checkName('prompt', def.name);
  const args: JsonObject[] = [];
  if (def.arguments) {
    const json = toJsonSchema(def.arguments, 'input');
    const props = (json.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [argName, schema] of Object.entries(props)) {
      const a: JsonObject = { name: argName, required: required.has(argName) };
      if (typeof schema.description === 'string') a.description = schema.description;
      if (typeof schema.title === 'string') a.title = schema.title;
      args.push(a);
    }
  }
  const descriptor: JsonObject = { name, ...common(def) };
  if (def.description !== undefined) descriptor.description = def.description;
  if (args.length > 0) descriptor.arguments = args;
  return Object.freeze({ kind: 'prompt', name, def, ...access('Prompt', name, def), descriptor: Object.freeze(descriptor) });
}

/** Compile a fixed resource. */
export function compileResource(def: ResourceDefinition): CompiledResource {
  if (typeof def.uri !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(def.uri)) throw new TypeError(`Resource uri must be an absolute URI, got ${JSON.stringify(def.uri)}`);
  const { read: _read, scopes: _s, listing: _l, ...rest } = def;
  return Object.freeze({ kind: 'resource', name: def.uri, def, ...access('Resource', def.uri, def), descriptor: Object.freeze({ ...rest }) });
}

/** Compile a resource template (RFC 6570). */
export function compileTemplate(def: ResourceTemplateDefinition): CompiledTemplate {
  const matcher = compileUriTemplate(def.uriTemplate);
  const { read: _r, list: _l, complete: _c, scopes: _s, listing: _v, ...rest } = def;
  return Object.freeze({ kind: 'template', name: def.uriTemplate, def, ...access('Resource template', def.uriTemplate, def), descriptor: Object.freeze({ ...rest }), matcher });
}
