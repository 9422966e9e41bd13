/**
 * Drive the engine without HTTP: a hand-built Exchange that records what the engine sends
 * back, and request builders for both eras.
 */
import type { Engine, Reply } from '../../src/mcp/engine.js';
import type { Exchange, LegacySession } from '../../src/mcp/exchange.js';
import { localPrincipal, principalKey, type Principal } from '../../src/mcp/principal.js';
import { META, MODERN_VERSION, type JsonObject, type JsonRpcNotification, type JsonRpcRequest } from '../../src/mcp/protocol.js';

/** A recording exchange. */
export interface FakeExchange extends Exchange {
  readonly sent: JsonRpcNotification[];
  readonly controller: AbortController;
  /** Server-to-client requests made through `request` (legacy). */
  readonly asked: { method: string; params: JsonObject | undefined }[];
}

/** Options for fakeExchange. */
export interface FakeExchangeOptions {
  era?: 'modern' | 'legacy';
  principal?: Principal;
  session?: LegacySession;
  protocolVersion?: string;
  /** Answers for legacy server-to-client requests; absent means the transport cannot ask. */
  answer?: (method: string, params: JsonObject | undefined) => JsonObject | Promise<JsonObject>;
  onNotify?: (n: JsonRpcNotification) => void;
}

/** The default test principal. */
export const ALICE: Principal = Object.freeze({ ...localPrincipal('alice', ['mcp:tools', 'mcp:prompts', 'mcp:resources'], 'test-client'), issuer: 'https://as.example' });
/** Another principal. */
export const BOB: Principal = Object.freeze({ ...localPrincipal('bob', ['mcp:tools', 'mcp:prompts', 'mcp:resources'], 'test-client'), issuer: 'https://as.example' });

/** Build a fresh exchange. */
export function fakeExchange(opts: FakeExchangeOptions = {}): FakeExchange {
  const era = opts.era ?? 'modern';
  const controller = new AbortController();
  const sent: JsonRpcNotification[] = [];
  const asked: { method: string; params: JsonObject | undefined }[] = [];
  const answer = opts.answer;
  return {
    era,
    protocolVersion: opts.protocolVersion ?? (era === 'modern' ? MODERN_VERSION : '2025-11-25'),
    principal: opts.principal ?? ALICE,
    headers: Object.freeze({ 'user-agent': 'jest' }),
    signal: controller.signal,
    session: opts.session,
    controller,
    sent,
    asked,
    notify(n) { sent.push(n); opts.onNotify?.(n); },
    request: answer ? async (method, params) => { asked.push({ method, params }); return answer(method, params); } : undefined,
  };
}

/** A legacy session as a transport would build one. */
export function legacySession(principal: Principal = ALICE, extra: Partial<LegacySession> = {}): LegacySession {
  return { owner: principalKey(principal), protocolVersion: '2025-11-25', subscriptions: new Set(), initialized: true, lastSeen: Date.now(), ...extra };
}

/** The modern `_meta` every 2026-07-28 request carries. */
export function modernMeta(capabilities: JsonObject = {}, extra: JsonObject = {}): JsonObject {
  return {
    [META.protocolVersion]: MODERN_VERSION,
    [META.clientCapabilities]: capabilities,
    [META.clientInfo]: { name: 'jest', version: '1.0.0' },
    ...extra,
  };
}

let nextId = 1;

/** A modern request with `_meta` merged into params. */
export function modernRequest(method: string, params: JsonObject = {}, opts: { capabilities?: JsonObject; meta?: JsonObject; id?: string | number } = {}): JsonRpcRequest {
  const { _meta, ...rest } = params as { _meta?: JsonObject };
  return { jsonrpc: '2.0', id: opts.id ?? nextId++, method, params: { ...rest, _meta: { ...modernMeta(opts.capabilities, opts.meta), ..._meta } } };
}

/** A legacy request (no `_meta` needed). */
export function legacyRequest(method: string, params: JsonObject = {}, id: string | number = nextId++): JsonRpcRequest {
  return { jsonrpc: '2.0', id, method, params };
}

/** A parsed reply. */
export interface Parsed {
  status: number;
  body: { jsonrpc: string; id: string | number | null; result?: JsonObject & { _meta?: JsonObject }; error?: { code: number; message: string; data?: unknown } };
}

/** Dispatch and parse. */
export async function call(engine: Engine, req: JsonRpcRequest, ex: Exchange = fakeExchange()): Promise<Parsed> {
  const reply: Reply = await engine.dispatch(req, ex);
  return { status: reply.status, body: JSON.parse(reply.body) as Parsed['body'] };
}

/** The text of the first content block of a tool result. */
export function firstText(result: JsonObject | undefined): string {
  const content = (result?.content ?? []) as { type: string; text?: string }[];
  return content[0]?.text ?? '';
}
