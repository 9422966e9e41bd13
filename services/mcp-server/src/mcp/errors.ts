/**
 * The engine's error type: every failure a handler can raise becomes one of these, and the
 * transport turns it into a JSON-RPC error (and, on HTTP, a status code).
 */
import { ErrorCodes } from './protocol.js';

/** Stable, machine-readable reasons, in the style of jose's `code`. */
export type McpErrorCode =
  | 'ERR_PARSE'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_METHOD_NOT_FOUND'
  | 'ERR_INVALID_PARAMS'
  | 'ERR_INTERNAL'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_RESOURCE_NOT_FOUND'
  | 'ERR_HEADER_MISMATCH'
  | 'ERR_MISSING_CAPABILITY'
  | 'ERR_UNSUPPORTED_VERSION'
  | 'ERR_SESSION_NOT_FOUND'
  | 'ERR_SESSION_REQUIRED'
  | 'ERR_QUOTA_EXCEEDED';

/** A protocol error with its JSON-RPC code and the HTTP status a transport should use. */
export class McpError extends Error {
  override readonly name: string = 'McpError';
  /** Stable reason. */
  readonly code: McpErrorCode;
  /** JSON-RPC error code sent on the wire. */
  readonly rpcCode: number;
  /** HTTP status for Streamable HTTP (200 where the JSON-RPC body alone carries the error). */
  readonly httpStatus: number;
  /** Optional JSON-RPC `error.data`. */
  readonly data: unknown;

  constructor(code: McpErrorCode, rpcCode: number, message: string, opts: { httpStatus?: number; data?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.rpcCode = rpcCode;
    this.httpStatus = opts.httpStatus ?? 200;
    this.data = opts.data;
  }
}

/** -32602 with a message that tells the client what to fix. */
export function invalidParams(message: string, data?: unknown): McpError {
  return new McpError('ERR_INVALID_PARAMS', ErrorCodes.InvalidParams, message, { data });
}

/** -32601; the 2026-07-28 HTTP binding answers it with 404. */
export function methodNotFound(method: string): McpError {
  return new McpError('ERR_METHOD_NOT_FOUND', ErrorCodes.MethodNotFound, `Method not found: ${truncate(method)}`, { httpStatus: 404 });
}

/** -32600 for a message that is not a valid JSON-RPC request. */
export function invalidRequest(message: string): McpError {
  return new McpError('ERR_INVALID_REQUEST', ErrorCodes.InvalidRequest, message, { httpStatus: 400 });
}

/** -32022 listing what we do support (versioning §Protocol Version Negotiation). */
export function unsupportedVersion(requested: unknown, supported: readonly string[]): McpError {
  return new McpError('ERR_UNSUPPORTED_VERSION', ErrorCodes.UnsupportedProtocolVersion, 'Unsupported protocol version', {
    httpStatus: 400,
    data: { supported, requested },
  });
}

/** -32020: HTTP headers disagree with the body (streamable-http §Server Validation). */
export function headerMismatch(message: string): McpError {
  return new McpError('ERR_HEADER_MISMATCH', ErrorCodes.HeaderMismatch, `Header mismatch: ${message}`, { httpStatus: 400 });
}

/** The principal lacks every scope that would allow the operation (any-of rule). */
export class InsufficientScopeError extends McpError {
  override readonly name = 'InsufficientScopeError';
  /** Scopes any one of which would allow the operation. */
  readonly requiredScopes: readonly string[];
  constructor(requiredScopes: readonly string[]) {
    super('ERR_INSUFFICIENT_SCOPE', ErrorCodes.InsufficientScope, 'Insufficient scope for this operation', {
      httpStatus: 403,
      data: { requiredScopes },
    });
    this.requiredScopes = requiredScopes;
  }
}

/** Shorten a client-supplied value before echoing it in a message. */
export function truncate(value: string, max = 64): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * Throw from a tool handler to fail with a message the client may see. Any other error
 * becomes a generic "internal error" result, so stack traces, paths and internal details
 * never reach the client (the detail goes to the server log).
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

/** -32602 resource not found: 2026-07-28 uses Invalid Params; the 2025 revisions used -32002. */
export function resourceNotFound(uri: string, era: 'modern' | 'legacy'): McpError {
  const rpcCode = era === 'modern' ? ErrorCodes.InvalidParams : ErrorCodes.LegacyResourceNotFound;
  return new McpError('ERR_RESOURCE_NOT_FOUND', rpcCode, `Resource not found: ${truncate(uri, 256)}`, { data: { uri } });
}
