/**
 * One request being served: its params, its exchange, the engine's services, and the
 * context a user handler receives. Also the MRTR wrapper shared by tools/call, prompts/get
 * and resources/read.
 */
import { MAX_MRTR_ROUNDS, QuotaExceededError } from './bounds.js';
import { InputRequired, LegacyInput, MrtrInput } from './client-input.js';
import type { ClientInfo, ClientInput, RequestContext } from './context.js';
import { invalidParams, ToolError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { EngineServices } from './services.js';
import { principalKey } from './principal.js';
import { LOG_LEVELS, type JsonObject, type LogLevel, type RequestId, META } from './protocol.js';
import { digest } from './sealed.js';
import type { Logger } from '../logging/logger.js';
import { trace } from '@opentelemetry/api';
import { NOOP_SPAN, tracingOn } from '../tracing/tracing.js';

/** Everything a method handler needs. */
export interface Call {
  readonly id: RequestId;
  readonly method: string;
  readonly params: JsonObject;
  readonly ex: Exchange;
  readonly client: ClientInfo;
  readonly services: EngineServices;
}

/** The `_meta` object of the params, or an empty one. */
export function metaOf(params: JsonObject): JsonObject {
  const m = params._meta;
  return m !== null && typeof m === 'object' && !Array.isArray(m) ? (m as JsonObject) : {};
}

/** Build the handler context for a call, with the given input mechanism. */
export function buildContext(call: Call, input: ClientInput): RequestContext {
  const { ex, services, params } = call;
  const progressToken = metaOf(params).progressToken;
  const threshold = logThreshold(call);
  let log: Logger | undefined;
  return {
    principal: ex.principal,
    headers: ex.headers,
    state: services.state,
    // Created on first use: most handlers never log, and a child logger per request is not free.
    get log() { return (log ??= services.logger.child({ rpcId: call.id, method: call.method, sub: ex.principal.subject })); },
    // A getter: reading the signal creates the request's AbortController (serve.ts LazyAbort), and most handlers never do.
    get signal() { return ex.signal; },
    // Taken now, inside the handler span the engine opened (engine-tracing.ts).
    span: tracingOn ? trace.getActiveSpan() ?? NOOP_SPAN : NOOP_SPAN,
    requestId: call.id,
    client: call.client,
    input,
    progress(progress, total, message) {
      if ((typeof progressToken !== 'string' && typeof progressToken !== 'number') || ex.signal.aborted) return;
      const p: JsonObject = { progressToken, progress };
      if (total !== undefined) p.total = total;
      if (message !== undefined) p.message = message;
      ex.notify({ jsonrpc: '2.0', method: 'notifications/progress', params: p });
    },
    exchangeToken(request) {
      if (!services.exchangeToken) return Promise.reject(new ToolError('This server has no token exchange configured'));
      return services.exchangeToken(ex.principal, request);
    },
    sendLog(level, data, logger) {
      if (threshold === undefined || ex.signal.aborted) return;
      if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(threshold)) return;
      const p: JsonObject = { level, data };
      if (logger !== undefined) p.logger = logger;
      ex.notify({ jsonrpc: '2.0', method: 'notifications/message', params: p });
    },
  };
}

/**
 * The level at or above which log notifications go out, or undefined for none.
 * 2026-07-28: only when the request carries `io.modelcontextprotocol/logLevel` (logging §"MUST
 * NOT emit notifications/message for requests that did not include this field").
 * 2025 revisions: the session's `logging/setLevel`, everything when never set.
 */
function logThreshold(call: Call): LogLevel | undefined {
  if (call.ex.era === 'modern') {
    const l = metaOf(call.params)[META.logLevel];
    return (LOG_LEVELS as readonly unknown[]).includes(l) ? (l as LogLevel) : undefined;
  }
  return call.ex.session?.logLevel ?? 'debug';
}

/** Sealed across MRTR rounds: owner, method, target digest, expiry, answers so far, rounds so far. */
interface SealedState { o: string; m: string; t: string; e: number; a: Record<string, JsonObject>; r?: number }

/**
 * Run a handler that may ask the client for input. `identity` names what is being called
 * (tool name and arguments, prompt, URI) so a requestState cannot be replayed elsewhere.
 */
export async function withClientInput(call: Call, identity: unknown, run: (ctx: RequestContext) => Promise<JsonObject>): Promise<JsonObject> {
  const { ex, services, params } = call;
  if (ex.era === 'legacy') return run(buildContext(call, new LegacyInput(ex.session?.capabilities, ex.request?.bind(ex))));

  const owner = principalKey(ex.principal);
  // Hashed only when a requestState is checked or minted: most calls need neither. Handlers
  // receive parsed copies of their arguments, so `identity` is unchanged when minting later.
  let target: string | undefined;
  const targetOf = () => (target ??= digest([call.method, identity]));
  let prior: Record<string, JsonObject> = {};
  let rounds = 0;
  if (params.requestState !== undefined) {
    // MRTR §Server Requirements 4-5: requestState is attacker-controlled; reject anything that
    // fails verification, was minted for another principal or request, or has expired.
    const s = services.sealer.open(params.requestState as string, 'mrtr') as SealedState | undefined;
    if (!s || s.o !== owner || s.m !== call.method || s.t !== targetOf() || typeof s.e !== 'number' || s.e < services.now()) {
      throw invalidParams('Invalid requestState: it was modified, expired, or belongs to another request; retry the original request without it');
    }
    prior = s.a ?? {};
    rounds = typeof s.r === 'number' ? s.r : 1;
  }
  const responses = params.inputResponses;
  if (responses !== undefined && (responses === null || typeof responses !== 'object' || Array.isArray(responses))) {
    throw invalidParams('inputResponses must be an object keyed by the inputRequests keys');
  }
  const input = new MrtrInput(call.client.capabilities as JsonObject, { ...prior, ...(responses as JsonObject | undefined) });
  try {
    return await run(buildContext(call, input));
  } catch (e) {
    if (!(e instanceof InputRequired)) throw e;
    // A request may not go round forever (a handler that keeps asking, a client that keeps
    // answering): each round costs a full handler run, so the rounds are a quota.
    if (rounds + 1 > MAX_MRTR_ROUNDS) {
      throw new QuotaExceededError('MAX_MRTR_ROUNDS', MAX_MRTR_ROUNDS, 'input rounds per request', 'start the request over without requestState');
    }
    const state: SealedState = { o: owner, m: call.method, t: targetOf(), e: services.now() + services.options.requestStateTtlMs, a: { ...input.used }, r: rounds + 1 };
    return { resultType: 'input_required', inputRequests: e.requests, requestState: services.sealer.seal(state, 'mrtr') };
  }
}
