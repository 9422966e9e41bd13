// The authenticated caller as seen by tools. The raw token is deliberately NOT a property:
// it must not leak into logs, JSON serialisation or tool code. Token exchange (RFC 8693)
// needs it, so it is reachable only through a private field and tokenOf below (a field, not a
// WeakMap: one WeakMap entry per request is measurable garbage-collector work).
import { AuthError } from './errors.js';
import { stringBytes } from './token-cache.js';

import type { Principal } from '../mcp/principal.js';

/** The engine's principal type; the auth layer creates instances of it. */
export type { Principal };

type Claims = Readonly<Record<string, unknown>>;

/**
 * The part of a verified principal worth caching: no claims and no token. A frozen claims copy
 * is most of a principal's memory (each even got a hidden class of its own), and a cached token
 * would live as long as its entry.
 */
export interface VerifiedIdentity {
  readonly subject: string;
  readonly clientId?: string;
  readonly scopes: readonly string[];
  readonly expiresAt?: number;
  readonly issuer?: string;
}

// One class for every verifier-made principal, so all share a few hidden classes; `claims`
// is a prototype getter, filled on first read when the principal came from the cache.
class VerifiedPrincipal implements Principal {
  readonly subject: string;
  declare readonly clientId?: string;
  readonly scopes: readonly string[];
  declare readonly expiresAt?: number;
  declare readonly issuer?: string;
  #claims: Claims | undefined;
  readonly #readClaims: ((token: string) => Claims) | undefined;
  readonly #token: string;

  constructor(id: VerifiedIdentity, token: string, claims: Claims | ((token: string) => Claims)) {
    this.#token = token;
    this.subject = id.subject;
    if (id.clientId !== undefined) (this as { clientId?: string }).clientId = id.clientId;
    this.scopes = id.scopes;
    if (id.expiresAt !== undefined) (this as { expiresAt?: number }).expiresAt = id.expiresAt;
    if (id.issuer !== undefined) (this as { issuer?: string }).issuer = id.issuer;
    if (typeof claims === 'function') this.#readClaims = claims;
    else this.#claims = claims;
    Object.freeze(this);
  }

  /** Verified token claims (never the token itself). */
  get claims(): Claims {
    return (this.#claims ??= Object.freeze({ ...this.#readClaims!(this.#token) }));
  }

  /** The token of a verifier-made principal; undefined for any other Principal. */
  static tokenOf(p: Principal): string | undefined {
    return #token in p ? p.#token : undefined;
  }
}

/** Freezes a principal and privately associates the token it was derived from. */
export function createPrincipal(fields: Principal, token: string): Principal {
  return new VerifiedPrincipal({ ...fields, scopes: Object.freeze([...fields.scopes]) }, token, Object.freeze({ ...fields.claims }));
}

/**
 * A principal for this request from a cached identity. `claims` may be a function of the token,
 * called on first read: JWT claims are decoded again from this request's token, which is byte
 * for byte the one verified (same SHA-256), rather than kept in the cache. A shared function
 * (not a closure over the token) keeps the cache hit free of a per-request allocation.
 */
export function principalFromIdentity(id: VerifiedIdentity, token: string, claims: Claims | ((token: string) => Claims)): Principal {
  return new VerifiedPrincipal(id, token, claims);
}

/** The cacheable identity of a principal (shares its frozen scopes array). */
export function identityOf(p: Principal): VerifiedIdentity {
  return {
    subject: p.subject,
    ...(p.clientId !== undefined ? { clientId: p.clientId } : {}),
    scopes: p.scopes,
    ...(p.expiresAt !== undefined ? { expiresAt: p.expiresAt } : {}),
    ...(p.issuer !== undefined ? { issuer: p.issuer } : {}),
  };
}

/** Estimated heap bytes of an identity, for the token cache's byte budget. */
export function identityBytes(id: VerifiedIdentity): number {
  let n = 64 + stringBytes(id.subject) + stringBytes(id.clientId) + stringBytes(id.issuer) + 16 + 8 * id.scopes.length;
  for (const s of id.scopes) n += stringBytes(s);
  return n;
}

/** Returns the access token a principal was verified from (for RFC 8693 exchange only). */
export function tokenOf(principal: Principal): string | undefined {
  return VerifiedPrincipal.tokenOf(principal);
}

/** Where a token's scopes may come from. */
export interface ScopeClaimOptions {
  /**
   * Also accept an `scp` claim (array of strings, or a space-delimited string) when `scope` is
   * absent: only for issuers configured as using it (Okta, Entra ID), never by default.
   */
  readonly scp?: boolean;
}

/**
 * Parses the granted scopes. RFC 9068 §2.2.3 (and RFC 7662 §2.2 for introspection): `scope`
 * is ONE string of space-delimited scope tokens (RFC 6749 §3.3). Any other shape — an array,
 * a number, an object — is refused rather than guessed at: an array read as a list of grants
 * would let a token mean something its issuer never wrote. `scp` counts only where enabled;
 * a token without either carries no scopes.
 */
export function scopesFromClaims(claims: Readonly<Record<string, unknown>>, options: ScopeClaimOptions = {}): string[] {
  let raw: unknown = claims.scope;
  let list: unknown[];
  if (raw !== undefined) {
    if (typeof raw !== 'string') throw new AuthError('invalid_token', { reason: 'scope claim is not a space-delimited string (RFC 9068 §2.2.3)' });
    list = raw.split(' ');
  } else if (claims.scp !== undefined) {
    raw = claims.scp;
    if (!options.scp) throw new AuthError('invalid_token', { reason: 'scp claim from an issuer not configured for it (MCP_AUTH_SCP_ISSUERS)' });
    if (typeof raw === 'string') list = raw.split(' ');
    else if (Array.isArray(raw) && raw.every((s) => typeof s === 'string')) list = raw;
    else throw new AuthError('invalid_token', { reason: 'scp claim is neither a string nor an array of strings' });
  } else {
    return [];
  }
  const out = new Set<string>();
  for (const s of list) if (typeof s === 'string' && s !== '') out.add(s);
  return [...out];
}

/** Throws insufficient_scope (403, RFC 6750 §3.1) unless the principal holds every needed scope. */
export function requireScopes(principal: Principal, needed: readonly string[]): void {
  const missing = needed.filter((s) => !principal.scopes.includes(s));
  if (missing.length > 0) {
    throw new AuthError('insufficient_scope', { reason: 'missing scopes', requiredScopes: needed });
  }
}
