/**
 * The 2026-07-28 standard request headers (streamable-http §Request Metadata): Mcp-Method and
 * Mcp-Name mirror the body and must match it (§Server Validation, HeaderMismatch -32020).
 */
import { headerMismatch, type McpError } from '../mcp/errors.js';
import { NAMED_METHODS } from '../mcp/method-table.js';
import type { JsonObject, JsonRpcRequest, JsonRpcNotification } from '../mcp/protocol.js';
import { META } from '../mcp/protocol.js';

const SENTINEL = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;
const VISIBLE = /^[\x20-\x7e\t]*$/;

/** Decode a header value that may use the `=?base64?…?=` sentinel (§Value Encoding). */
export function decodeHeaderValue(value: string): string | undefined {
  const m = SENTINEL.exec(value);
  if (m) return Buffer.from(m[1], 'base64').toString('utf8');
  if (!VISIBLE.test(value)) return undefined;
  return value;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

/** Check Mcp-Method, Mcp-Name and the version header against the body; returns the error or undefined. */
export function checkStandardHeaders(headers: Record<string, string | string[] | undefined>, version: string, msg: JsonRpcRequest | JsonRpcNotification): McpError | undefined {
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
  }
  return undefined;
}
