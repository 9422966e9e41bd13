/**
 * Bounds on what a client can make the server keep: size caps for client-supplied strings
 * that are stored or logged, the subset of `initialize` data the server actually uses, a
 * Set that refuses to grow past its quota, and the error every quota refusal raises.
 * Transport-free: the HTTP layer (src/http/quotas.ts) decides the numbers.
 */
import { McpError } from './errors.js';
import type { JsonObject } from './protocol.js';

/** Longest resource URI the server keeps (subscriptions) — URLs past 2 KiB are not portable anyway. */
export const MAX_URI_LENGTH = 2048;
/** Longest client-supplied name (tool, prompt, URI) written to an audit record. */
export const MAX_AUDIT_NAME_LENGTH = 256;
/** Longest `clientInfo` field kept on a session. */
export const MAX_CLIENT_INFO_FIELD = 256;
/** Largest serialized value kept per client capability (its presence is what matters). */
export const MAX_CAPABILITY_BYTES = 1024;
/** The client capabilities the server reads (client-input.ts: supports()). */
const USED_CAPABILITIES = ['roots', 'sampling', 'elicitation'] as const;

/**
 * Input rounds one 2026-07-28 request may take (MRTR). The server keeps nothing between
 * rounds — the sealed requestState travels with the client, bounded by the body limit — so
 * this is a fixed cap on work, not a per-principal store.
 */
export const MAX_MRTR_ROUNDS = 16;

/** JSON-RPC code of a quota refusal (implementation-defined server error range, JSON-RPC 2.0 §5.1). */
export const QUOTA_EXCEEDED_CODE = -32011;

/**
 * A quota refusal. `limit` names the setting (e.g. MCP_MAX_STREAMS_PER_PRINCIPAL) so the
 * client's operator can tell what was hit; per-principal limits are the client's to fix
 * (HTTP 429), server-wide ones mean the server is full (HTTP 503).
 */
export class QuotaExceededError extends McpError {
  override readonly name = 'QuotaExceededError';
  constructor(
    /** The configuration variable that sets the limit. */
    readonly limit: string,
    /** Its value. */
    readonly max: number,
    /** What is limited, e.g. "open streams per principal". */
    what: string,
    /** What the client should do about it. */
    advice: string,
    readonly scope: 'principal' | 'server' = 'principal',
  ) {
    super('ERR_QUOTA_EXCEEDED', QUOTA_EXCEEDED_CODE, `Quota exceeded: at most ${max} ${what} (${limit}); ${advice}`, {
      httpStatus: scope === 'server' ? 503 : 429,
      data: { code: 'ERR_QUOTA_EXCEEDED', limit, max },
    });
  }
}

/** A Set that throws `onFull()` instead of growing past `max` entries. */
export class BoundedSet<T> extends Set<T> {
  constructor(private readonly max: number, private readonly onFull: () => Error) { super(); }
  override add(value: T): this {
    if (this.size >= this.max && !this.has(value)) throw this.onFull();
    return super.add(value);
  }
}

/** Shorten a client-supplied string for a log or audit record (marks the cut with "…"). */
export function clip(value: string, max = MAX_AUDIT_NAME_LENGTH): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** The `clientInfo` fields the server uses (name, version, title), each capped. */
export function keepClientInfo(info: unknown): { name?: string; version?: string; title?: string } | undefined {
  if (info === null || typeof info !== 'object' || Array.isArray(info)) return undefined;
  const out: { name?: string; version?: string; title?: string } = {};
  for (const k of ['name', 'version', 'title'] as const) {
    const v = (info as Record<string, unknown>)[k];
    if (typeof v === 'string') out[k] = v.slice(0, MAX_CLIENT_INFO_FIELD);
  }
  return out;
}

/**
 * The client capabilities the server uses, nothing else: each kept value is a small object
 * (an oversized or non-object value is kept as `{}`, since only its presence is checked).
 */
export function keepCapabilities(caps: unknown): JsonObject {
  const out: JsonObject = {};
  if (caps === null || typeof caps !== 'object' || Array.isArray(caps)) return out;
  for (const k of USED_CAPABILITIES) {
    const v = (caps as JsonObject)[k];
    if (v === undefined || v === null) continue;
    const small = typeof v === 'object' && !Array.isArray(v) && JSON.stringify(v).length <= MAX_CAPABILITY_BYTES;
    out[k] = small ? structuredClone(v) : {};
  }
  return out;
}
