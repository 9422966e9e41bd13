/**
 * The 2026-07-28 standard request headers (streamable-http §Request Metadata): Mcp-Method and
 * Mcp-Name mirror the body and must match it (§Server Validation, HeaderMismatch -32020).
 */
import { headerMismatch, type McpError } from '../mcp/errors.js';
import { NAMED_METHODS } from '../mcp/method-table.js';
import type { ParamHeader } from '../mcp/param-headers.js';
import type { JsonObject, JsonRpcRequest, JsonRpcNotification } from '../mcp/protocol.js';
import { META } from '../mcp/protocol.js';

const SENTINEL = /^=\?base64\?(.*)\?=$/s;
/** Canonical padded Base64 (RFC 4648 §4): whole quanta, `=` only as final padding. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const VISIBLE = /^[\x20-\x7e\t]*$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode a header value that may use the `=?base64?…?=` sentinel (§Value Encoding); undefined
 * when it is invalid. A value in the sentinel's shape is always Base64 (clients MUST encode a
 * literal that looks like one), so bad padding, a non-alphabet character or bytes that are not
 * UTF-8 make it invalid rather than a literal.
 */
export function decodeHeaderValue(value: string): string | undefined {
  const m = SENTINEL.exec(value);
  if (m) {
    if (!BASE64.test(m[1])) return undefined;
    try {
      return UTF8.decode(Buffer.from(m[1], 'base64'));
    } catch {
      return undefined;
    }
  }
  if (!VISIBLE.test(value)) return undefined;
  return value;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

/** The `x-mcp-header` mappings of a tool by name (undefined for an unknown tool). */
export type ParamHeadersOf = (tool: string) => readonly ParamHeader[] | undefined;

/**
 * Check Mcp-Method, Mcp-Name, the version header and, for tools/call, the tool's Mcp-Param-*
 * headers against the body; returns the error or undefined.
 */
export function checkStandardHeaders(
  headers: Record<string, string | string[] | undefined>,
  version: string,
  msg: JsonRpcRequest | JsonRpcNotification,
  paramHeadersOf?: ParamHeadersOf,
): McpError | undefined {
  const method = one(headers['mcp-method']);
  if (method === undefined) return headerMismatch('the Mcp-Method header is required');
  if (method !== msg.method) return headerMismatch('the Mcp-Method header does not match the body method');
  const params = (msg.params ?? {}) as JsonObject;
  const meta = params._meta as JsonObject | undefined;
  const bodyVersion = meta && typeof meta === 'object' ? meta[META.protocolVersion] : undefined;
  if (bodyVersion !== undefined && bodyVersion !== version) return headerMismatch('the MCP-Protocol-Version header does not match params._meta protocolVersion');
  const field = NAMED_METHODS.get(msg.method);
  if (field) {
    const raw = one(headers['mcp-name']);
    if (raw === undefined) return headerMismatch(`the Mcp-Name header is required for ${msg.method}`);
    const name = decodeHeaderValue(raw.trim() === raw ? raw : raw.trim());
    if (name === undefined) return headerMismatch('the Mcp-Name header contains invalid characters');
    if (name !== params[field]) return headerMismatch(`the Mcp-Name header does not match params.${field}`);
    if (msg.method === 'tools/call' && paramHeadersOf) {
      const mapped = paramHeadersOf(name);
      if (mapped && mapped.length > 0) return checkParamHeaders(headers, mapped, params.arguments);
    }
  }
  return undefined;
}

/**
 * streamable-http §Server Behavior for Custom Headers: every mapped argument present (and not
 * null) in the body MUST arrive as its Mcp-Param-{Name} header with the same value after
 * decoding; a missing, undecodable or different header is a HeaderMismatch. A header whose
 * argument is absent does not match the body either. Messages name the header, never a value.
 */
export function checkParamHeaders(headers: Record<string, string | string[] | undefined>, mapped: readonly ParamHeader[], args: unknown): McpError | undefined {
  for (const p of mapped) {
    const value = valueAt(args, p.path);
    const raw = one(headers[p.header]);
    if (value === undefined || value === null) {
      if (raw !== undefined) return headerMismatch(`the Mcp-Param-${p.name} header is present but the argument is not`);
      continue;
    }
    if (raw === undefined) return headerMismatch(`the Mcp-Param-${p.name} header is required when the argument is present`);
    // RFC 9110 §5.5: optional whitespace around a field value is not part of it.
    const decoded = decodeHeaderValue(raw.trim());
    if (decoded === undefined) return headerMismatch(`the Mcp-Param-${p.name} header contains invalid characters or Base64`);
    if (!matches(decoded, value)) return headerMismatch(`the Mcp-Param-${p.name} header does not match the argument`);
  }
  return undefined;
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let v = args;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
    v = (v as JsonObject)[key];
  }
  return v;
}

/** §Value Encoding: strings as-is, integers compared numerically (§Server Validation note), booleans lower-case. */
function matches(header: string, value: unknown): boolean {
  if (typeof value === 'string') return header === value;
  if (typeof value === 'number') return /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(header) && Number(header) === value;
  if (typeof value === 'boolean') return header === String(value);
  return false;
}
