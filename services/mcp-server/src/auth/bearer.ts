// Bearer token extraction (RFC 6750 §2.1). All checks here are cheap string checks that run
// before any cryptography or network I/O, so junk is rejected without cost.
import { AuthError, ConfigurationError } from './errors.js';

/** Default cap on the token length; far above real-world JWTs, far below abuse sizes. */
export const DEFAULT_MAX_TOKEN_BYTES = 8192;

/** Outcome of parsing an Authorization header. */
export type BearerExtraction = { readonly kind: 'none' } | { readonly kind: 'token'; readonly token: string };

/** Options for extractBearerToken. */
export interface BearerOptions {
  /** Maximum token length in bytes (default 8192). */
  readonly maxTokenBytes?: number;
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 9110 §11.4: credentials = auth-scheme [ 1*SP token68 ]; scheme is case-insensitive.
const CREDENTIALS = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?: +(.*))?$/;

/** Validates a max-token-bytes option value, throwing ConfigurationError when unusable. */
export function checkMaxTokenBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_BYTES;
  if (!Number.isInteger(value) || value < 16 || value > 1_048_576) {
    throw new ConfigurationError(`maxTokenBytes must be an integer in [16, 1048576], got ${String(value)}`);
  }
  return value;
}

/**
 * Extracts the bearer token from an Authorization header value.
 * Missing header or another scheme → `{kind:'none'}` (RFC 6750 §3.1: no error code);
 * a malformed Bearer header → invalid_request; an oversized/ill-formed token → invalid_token.
 */
export function extractBearerToken(header: string | undefined, options: BearerOptions = {}): BearerExtraction {
  const max = checkMaxTokenBytes(options.maxTokenBytes);
  if (header === undefined) return { kind: 'none' };
  // Length first, so no regex ever runs over an attacker-sized string.
  if (header.length > max + 64) throw new AuthError('invalid_token', { reason: 'oversized token' });
  const value = header.replace(/^[ \t]+|[ \t]+$/g, ''); // RFC 9110 §5.5: strip OWS
  if (value === '') return { kind: 'none' };
  const m = CREDENTIALS.exec(value);
  if (!m) throw new AuthError('invalid_request', { reason: 'malformed authorization header' });
  if (m[1]!.toLowerCase() !== 'bearer') return { kind: 'none' }; // unsupported scheme
  const token = m[2];
  if (token === undefined || token === '') {
    throw new AuthError('invalid_request', { reason: 'bearer scheme without token' });
  }
  if (/[ \t]/.test(token)) throw new AuthError('invalid_request', { reason: 'more than one token' });
  if (Buffer.byteLength(token, 'utf8') > max) throw new AuthError('invalid_token', { reason: 'oversized token' });
  if (!B64TOKEN.test(token)) throw new AuthError('invalid_token', { reason: 'token is not a b64token' });
  return { kind: 'token', token };
}

/** Where a disallowed `access_token` parameter was found. */
export type NonHeaderTokenLocation = 'query' | 'body';

/** Request parts inspected by findNonHeaderToken. */
export interface NonHeaderTokenInput {
  /** Request target (path + query) or absolute URL. */
  readonly url?: string;
  /** Parsed body (object) or raw `application/x-www-form-urlencoded` text. */
  readonly body?: unknown;
}

/**
 * Detects an `access_token` in the query (RFC 6750 §2.3) or form body (§2.2). The MCP
 * authorization spec only allows the header, so the HTTP layer refuses such requests
 * (400 invalid_request) instead of silently ignoring a token that may now sit in logs.
 */
export function findNonHeaderToken(input: NonHeaderTokenInput): NonHeaderTokenLocation | undefined {
  if (input.url !== undefined) {
    const q = input.url.indexOf('?');
    if (q !== -1) {
      const query = input.url.slice(q + 1).split('#', 1)[0]!;
      if (new URLSearchParams(query).has('access_token')) return 'query';
    }
  }
  const body = input.body;
  if (typeof body === 'string') {
    if (new URLSearchParams(body).has('access_token')) return 'body';
  } else if (body instanceof URLSearchParams) {
    if (body.has('access_token')) return 'body';
  } else if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    if (Object.prototype.hasOwnProperty.call(body, 'access_token')) return 'body';
  }
  return undefined;
}

/** The error the HTTP layer should answer with when findNonHeaderToken finds a token. */
export function nonHeaderTokenError(location: NonHeaderTokenLocation): AuthError {
  return new AuthError('invalid_request', { reason: `access_token in ${location} is not supported` });
}
