/**
 * The API our users write: one small module per tool, prompt or resource.
 *
 *   export default defineTool({
 *     name: 'get_time', description: 'Current time', input: z.object({ tz: z.string() }),
 *     handler: async ({ tz }, ctx) => `It is ${new Date().toLocaleString('en', { timeZone: tz })}`,
 *   });
 */
import type { z } from 'zod';
import type { ContentBlock, ResourceContents } from './content.js';
import type { RequestContext } from './context.js';
import type { JsonSchema } from './json-schema.js';
import type { JsonObject } from './protocol.js';

/** Hints about a tool's behaviour (2025-06-18+ ToolAnnotations). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** An icon a client may show (2025-11-25+). */
export interface Icon { src: string; mimeType?: string; sizes?: string[]; theme?: 'light' | 'dark' }

/** What a tool handler may return when it has no output schema. */
export interface ToolResult {
  content: ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: JsonObject;
}

/** Any zod object schema. */
export type AnyObjectSchema = z.ZodObject;

/**
 * Who sees an item that declares scopes in list results. 'permitted' (the default): only
 * principals holding one of its scopes, so a list never reveals what a caller may not use.
 * 'always': every authenticated principal, and a call without the scope is refused with a
 * 403 `insufficient_scope` step-up (RFC 6750 §3.1), so a client can discover the item and
 * start the re-authorization from its UI. The scope check on use is the same either way.
 */
export type Listing = 'permitted' | 'always';

/** Fields shared by every primitive. */
interface Common {
  /** Human-friendly display name. */
  title?: string;
  /** Any-of: the principal needs at least one of these scopes to use it (and, by default, to see it). */
  scopes?: readonly string[];
  /** When lists show it to principals without its scopes (default 'permitted'); see {@link Listing}. */
  listing?: Listing;
  icons?: Icon[];
  _meta?: JsonObject;
}

/**
 * A tool definition. Give the schemas either as zod (`input`, `output`: converted once to JSON
 * Schema 2020-12, handler types inferred) or as plain JSON Schema 2020-12 (`inputSchema`,
 * `outputSchema`: listed verbatim, validated with ajv; the handler gets `Record<string, unknown>`
 * and may return the structured object). Not both for the same side.
 */
export interface ToolDefinition<I extends AnyObjectSchema = AnyObjectSchema, O extends z.ZodType | undefined = undefined> extends Common {
  name: string;
  description: string;
  input?: I;
  output?: O;
  /** The arguments as a JSON Schema 2020-12 object schema, instead of `input`. */
  inputSchema?: JsonSchema;
  /** `structuredContent` as a JSON Schema 2020-12 object schema, instead of `output`. */
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
  /**
   * Whether the tool may run as a task (io.modelcontextprotocol/tasks): 'optional' runs it as
   * a task for clients that declare the extension and as a plain call for the others;
   * 'required' refuses the others with -32021. See {@link TaskSupport}.
   */
  task?: TaskSupport;
  /**
   * Task tools only: runs on the original request before the task is created. Questions it
   * asks through `ctx.input` go to the client as MRTR rounds; the handler's `ctx.input` gets
   * the same answers under the same keys without asking again.
   */
  beforeTask?: (input: z.output<I>, ctx: RequestContext) => Promise<void> | void;
  handler: (
    input: z.output<I>,
    ctx: RequestContext,
  ) => Promise<ToolReturn<O>> | ToolReturn<O>;
}

/**
 * How a tool runs as a task. In a task, the call answers at once with a task handle; the
 * handler keeps running after the client disconnects, `ctx.signal` fires on tasks/cancel,
 * `ctx.progress` updates the task's status message, and `ctx.input` waits for tasks/update.
 */
export type TaskSupport = 'optional' | 'required';

/** What a handler may return: with a zod output schema its input type; else a result, text, or a structured object. */
export type ToolReturn<O extends z.ZodType | undefined> = O extends z.ZodType ? z.input<O> | ToolResult : ToolResult | string | { [key: string]: unknown };

/** Identity function that infers a tool's types. */
export function defineTool<I extends AnyObjectSchema = AnyObjectSchema, O extends z.ZodType | undefined = undefined>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return def;
}

/** A message in a prompt result. */
export interface PromptMessage { role: 'user' | 'assistant'; content: ContentBlock }
/** What a prompt handler returns. */
export interface PromptResult { description?: string; messages: PromptMessage[]; _meta?: JsonObject }

/** Suggests values for an argument being typed (`completion/complete`). */
export type Completer = (value: string, context: { arguments: Record<string, string>; ctx: RequestContext }) => readonly string[] | Promise<readonly string[]>;

/** A prompt definition: arguments are a zod object of string fields. */
export interface PromptDefinition<A extends AnyObjectSchema = AnyObjectSchema> extends Common {
  name: string;
  description?: string;
  arguments?: A;
  /** Completions per argument name. */
  complete?: Partial<Record<keyof z.output<A> & string, Completer>>;
  handler: (args: z.output<A>, ctx: RequestContext) => Promise<PromptResult | string> | PromptResult | string;
}

/** Identity function that infers a prompt's types. */
export function definePrompt<A extends AnyObjectSchema = AnyObjectSchema>(def: PromptDefinition<A>): PromptDefinition<A> {
  return def;
}

/**
 * What a resource reader returns: contents, or a plain string / bytes for the resource's own
 * URI; `undefined` when a template matched but no such resource exists (answered as not found).
 */
export type ReadResult = ResourceContents[] | string | Uint8Array | undefined;

/** A fixed resource. */
export interface ResourceDefinition extends Common {
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: JsonObject;
  read: (ctx: RequestContext) => Promise<ReadResult> | ReadResult;
}

/** Identity function for a resource. */
export function defineResource(def: ResourceDefinition): ResourceDefinition {
  return def;
}

/** A family of resources named by an RFC 6570 URI template (level 1-3 expressions). */
export interface ResourceTemplateDefinition extends Common {
  uriTemplate: string;
  name: string;
  description?: string;
  mimeType?: string;
  annotations?: JsonObject;
  /** Completions per template variable. */
  complete?: Record<string, Completer>;
  /** Enumerate concrete resources for `resources/list` (optional). */
  list?: (ctx: RequestContext) => Promise<Omit<ResourceDefinition, 'read'>[]> | Omit<ResourceDefinition, 'read'>[];
  read: (uri: string, variables: Record<string, string | string[]>, ctx: RequestContext) => Promise<ReadResult> | ReadResult;
}

/** Identity function for a resource template. */
export function defineResourceTemplate(def: ResourceTemplateDefinition): ResourceTemplateDefinition {
  return def;
}
