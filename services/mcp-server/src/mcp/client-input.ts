/**
 * `ctx.input`: one API for asking the client, two mechanisms underneath.
 * - 2026-07-28 (MRTR, basic/patterns/mrtr): answers come from `inputResponses` (this round)
 *   and the sealed `requestState` (earlier rounds). A question without an answer stops the
 *   handler with an InputRequired signal; the engine turns it into an `input_required` result.
 * - 2025 revisions: a server-to-client request on this request's response stream.
 */
import type { ClientInput, InputRequest } from './context.js';
import { McpError } from './errors.js';
import { ErrorCodes, type JsonObject } from './protocol.js';

const CAPABILITY: Record<InputRequest['method'], 'elicitation' | 'sampling' | 'roots'> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** Thrown inside a handler when MRTR answers are missing; carries the questions to send. */
export class InputRequired {
  constructor(readonly requests: Record<string, InputRequest>) {}
}

/** -32021: the request needs a client capability the client did not declare. */
export function missingCapability(capability: string): McpError {
  return new McpError('ERR_MISSING_CAPABILITY', ErrorCodes.MissingRequiredClientCapability,
    `This request needs the client capability "${capability}", which the client did not declare`,
    { httpStatus: 400, data: { requiredCapabilities: { [capability]: {} } } });
}

/** The capability checks and key handling every input mechanism shares. */
export abstract class BaseInput implements ClientInput {
  private counter = 0;
  constructor(protected readonly capabilities: JsonObject | undefined) {}

  supports(capability: 'elicitation' | 'sampling' | 'roots'): boolean {
    // A stateless legacy server never saw the initialize capabilities: let the client decide.
    if (this.capabilities === undefined) return true;
    return this.capabilities[capability] !== undefined && this.capabilities[capability] !== null;
  }
  elicit(params: JsonObject, key?: string): Promise<JsonObject> {
    return this.one({ method: 'elicitation/create', params }, key);
  }
  sample(params: JsonObject, key?: string): Promise<JsonObject> {
    return this.one({ method: 'sampling/createMessage', params }, key);
  }
  roots(key?: string): Promise<JsonObject> {
    return this.one({ method: 'roots/list' }, key);
  }
  async all<K extends string>(requests: Record<K, InputRequest>): Promise<Record<K, JsonObject>> {
    for (const r of Object.values<InputRequest>(requests)) this.check(r);
    return this.ask(requests);
  }
  private async one(request: InputRequest, key?: string): Promise<JsonObject> {
    this.check(request);
    const k = key ?? `${CAPABILITY[request.method]}-${++this.counter}`;
    const answers = await this.ask({ [k]: request });
    return answers[k];
  }
  private check(request: InputRequest): void {
    const cap = CAPABILITY[request.method];
    if (!cap) throw new TypeError(`Unknown input request method ${String(request.method)}`);
    // MRTR §Server Requirements 7: never send an input request the client did not declare.
    if (!this.supports(cap)) throw missingCapability(cap);
  }
  protected abstract ask<K extends string>(requests: Record<K, InputRequest>): Promise<Record<K, JsonObject>>;
}

/** MRTR: answers from this round and earlier rounds; missing ones raise InputRequired. */
export class MrtrInput extends BaseInput {
  /** Answers the handler used; the engine seals them into the next requestState. */
  readonly used: Record<string, JsonObject> = {};
  constructor(capabilities: JsonObject, private readonly answers: Readonly<Record<string, unknown>>) {
    super(capabilities);
  }
  protected async ask<K extends string>(requests: Record<K, InputRequest>): Promise<Record<K, JsonObject>> {
    const out = {} as Record<K, JsonObject>;
    const missing: Record<string, InputRequest> = {};
    for (const key of Object.keys(requests) as K[]) {
      const a = this.answers[key];
      if (a !== null && typeof a === 'object' && !Array.isArray(a)) out[key] = a as JsonObject;
      else missing[key] = requests[key];
    }
    // Keep what was answered even when something is still missing, so the next round's
    // requestState carries it and the client need not answer twice.
    Object.assign(this.used, out);
    if (Object.keys(missing).length > 0) throw new InputRequired(missing);
    return out;
  }
}

/** 2025 revisions: real server-to-client requests through the transport. */
export class LegacyInput extends BaseInput {
  constructor(capabilities: JsonObject | undefined, private readonly send: ((method: string, params: JsonObject | undefined) => Promise<JsonObject>) | undefined) {
    super(capabilities);
  }
  protected async ask<K extends string>(requests: Record<K, InputRequest>): Promise<Record<K, JsonObject>> {
    const send = this.send;
    if (!send) throw new McpError('ERR_INTERNAL', ErrorCodes.InternalError, 'This transport cannot send requests to the client');
    const keys = Object.keys(requests) as K[];
    const results = await Promise.all(keys.map((k) => send(requests[k].method, requests[k].params)));
    const out = {} as Record<K, JsonObject>;
    keys.forEach((k, i) => { out[k] = results[i]; });
    return out;
  }
}

const refuse = (): Promise<never> => Promise.reject(new Error('This handler cannot ask the client for input'));
/** For handlers that may not ask the client anything (listing, completion). */
export const NO_INPUT: ClientInput = { supports: () => false, elicit: refuse, sample: refuse, roots: refuse, all: refuse };
