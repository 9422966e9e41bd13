/**
 * Wire-level constants and JSON-RPC 2.0 message types shared by every transport.
 * Spec: https://modelcontextprotocol.io/specification/2026-07-28/basic
 */

/** The stateless revision: every request carries its version and capabilities in `_meta`. */
export const MODERN_VERSION = '2026-07-28';
/** Handshake-based revisions still spoken by clients in the field, newest first. */
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
/** Every revision this server implements, newest first (UnsupportedProtocolVersion `data.supported`). */
export const SUPPORTED_VERSIONS: readonly string[] = [MODERN_VERSION, ...LEGACY_VERSIONS];
/** Streamable HTTP: a request without MCP-Protocol-Version is treated as 2025-03-26 (2025-06-18 transports §Protocol Version Header). */
export const DEFAULT_LEGACY_VERSION = '2025-03-26';

/** `_meta` keys defined by the 2026-07-28 revision (basic/index §_meta). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

/** JSON-RPC and MCP error codes (2026-07-28 schema.ts; -32020..-32099 reserved for MCP). */
export const ErrorCodes = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Implementation-defined (-32000..-32019): the principal lacks a scope the operation needs. */
  InsufficientScope: -32010,
  /** 2025 revisions: resource not found (2026-07-28 uses InvalidParams instead). */
  LegacyResourceNotFound: -32002,
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;

/** A JSON-RPC request id. */
export type RequestId = string | number;
/** Any JSON object. */
export type JsonObject = Record<string, unknown>;

/** A JSON-RPC request (has an id). */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: JsonObject;
}

/** A JSON-RPC notification (no id). */
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: JsonObject;
}

/** A successful JSON-RPC response. */
export interface JsonRpcResult {
  jsonrpc: '2.0';
  id: RequestId;
  result: JsonObject;
}

/** A JSON-RPC error object. */
export interface JsonRpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/** A failed JSON-RPC response; `id` is null when the request id could not be read. */
export interface JsonRpcError {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: JsonRpcErrorBody;
}

/** Any response. */
export type JsonRpcResponse = JsonRpcResult | JsonRpcError;
/** Any message a peer may send. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** The era a request belongs to: per-request `_meta` (modern) or the initialize handshake (legacy). */
export type Era = 'modern' | 'legacy';

/** RFC 5424 levels used by MCP logging, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
/** One MCP log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** True when `v` is a known MCP log level. */
export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v);
}
