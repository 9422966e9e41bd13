// Error types for the token-verification core, modelled on jose's errors: a stable
// machine-readable `code`, and an HTTP mapping the transport layer can use verbatim.

/** Stable reason codes carried by every AuthError. */
export type AuthErrorCode =
  | 'no_credentials'
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'issuer_unavailable'
  | 'token_exchange_failed'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

/** Error codes defined by RFC 6750 §3.1, plus RFC 6749 §5.2-style server codes. */
export type BearerErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable'
  | 'server_error'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

/** HTTP statuses an AuthError maps to. */
export type AuthErrorStatus = 400 | 401 | 403 | 502 | 503;

interface CodeInfo {
  readonly status: AuthErrorStatus;
  readonly error: BearerErrorCode | undefined;
  readonly description: string;
}

// Descriptions are deliberately generic: RFC 6750 §5.2 / §3.1 leaves the text to us, and
// revealing *why* a signature or claim failed helps an attacker more than a client.
const CODES: Readonly<Record<AuthErrorCode, CodeInfo>> = {
  // RFC 6750 §3.1: a request without credentials gets no error code at all.
  no_credentials: { status: 401, error: undefined, description: 'Authentication required' },
  invalid_request: { status: 400, error: 'invalid_request', description: 'The request is malformed' },
  invalid_token: { status: 401, error: 'invalid_token', description: 'The access token is invalid' },
  insufficient_scope: {
    status: 403,
    error: 'insufficient_scope',
    description: 'The access token lacks the required scope',
  },
  issuer_unavailable: {
    status: 503,
    error: 'temporarily_unavailable',
    description: 'The authorization server is temporarily unavailable',
  },
  token_exchange_failed: {
    status: 502,
    error: 'server_error',
    description: 'A downstream credential could not be obtained',
  },
  // RFC 9449 §7.1: a missing or invalid DPoP proof; §8/§9: the proof must carry a server nonce.
  invalid_dpop_proof: { status: 401, error: 'invalid_dpop_proof', description: 'The DPoP proof is invalid' },
  use_dpop_nonce: { status: 401, error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof' },
};

/** The authentication scheme a failure belongs to (RFC 9449 §7.1: DPoP errors go on the DPoP challenge). */
export type AuthScheme = 'Bearer' | 'DPoP';

/** Options accepted by the AuthError constructor. */
export interface AuthErrorOptions {
  /** Internal, log-safe reason (never contains token text); never sent to clients. */
  readonly reason?: string;
  /** Underlying error, kept for diagnostics. */
  readonly cause?: unknown;
  /** Scopes that would have satisfied the request (insufficient_scope only). */
  readonly requiredScopes?: readonly string[];
  /** Scheme the failed credentials used (default: Bearer). */
  readonly scheme?: AuthScheme;
  /** A fresh server nonce to send as `DPoP-Nonce` (RFC 9449 §9). */
  readonly dpopNonce?: string;
}

/** Base error for every authentication/authorization failure of the resource server. */
export class AuthError extends Error {
  /** Stable machine-readable code. */
  readonly code: AuthErrorCode;
  /** HTTP status the transport should answer with. */
  readonly status: AuthErrorStatus;
  /** RFC 6750 error code for the WWW-Authenticate header; undefined when none applies. */
  readonly error: BearerErrorCode | undefined;
  /** Generic, client-safe description. */
  readonly description: string;
  /** Internal log-safe reason such as "expired" or "audience". */
  readonly reason: string | undefined;
  /** Scopes needed for step-up authorization (insufficient_scope). */
  readonly requiredScopes: readonly string[] | undefined;
  /** Scheme the failed credentials used, when known. */
  readonly scheme: AuthScheme | undefined;
  /** Nonce for the `DPoP-Nonce` response header, when one is demanded. */
  readonly dpopNonce: string | undefined;

  constructor(code: AuthErrorCode, options: AuthErrorOptions = {}) {
    const info = CODES[code];
    super(options.reason ? `${code}: ${options.reason}` : code, { cause: options.cause });
    this.name = 'AuthError';
    this.code = code;
    this.status = info.status;
    this.error = info.error;
    this.description = info.description;
    this.reason = options.reason;
    this.requiredScopes = options.requiredScopes ? Object.freeze([...options.requiredScopes]) : undefined;
    this.scheme = options.scheme;
    this.dpopNonce = options.dpopNonce;
  }
}

/** Thrown at creation time when options are wrong: a programmer mistake, not a request error. */
export class ConfigurationError extends TypeError {
  constructor(message: string, hint?: string) {
    super(hint ? `${message} (did you mean ${hint}?)` : message);
    this.name = 'ConfigurationError';
  }
}

/** Type guard for AuthError. */
export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}
