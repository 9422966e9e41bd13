// The authenticated caller as seen by tools. The raw token is deliberately NOT a property:
// it must not leak into logs, JSON serialisation or tool code. Token exchange (RFC 8693)
// needs it, so it is reachable only through the module-private WeakMap below.
import { AuthError } from './errors.js';

import type { Principal } from '../mcp/principal.js';

/** The engine's principal type; the auth layer creates instances of it. */
export type { Principal };

const tokens = new WeakMap<Principal, string>();

/** Freezes a principal and privately associates the token it was derived from. */
export function createPrincipal(fields: Principal, token: string): Principal {
  const principal: Principal = Object.freeze({
    subject: fields.subject,
    ...(fields.clientId !== undefined ? { clientId: fields.clientId } : {}),
    scopes: Object.freeze([...fields.scopes]),
    claims: Object.freeze({ ...fields.claims }),
    ...(fields.expiresAt !== undefined ? { expiresAt: fields.expiresAt } : {}),
    ...(fields.issuer !== undefined ? { issuer: fields.issuer } : {}),
  });
  tokens.set(principal, token);
  return principal;
}

/** Returns the access token a principal was verified from (for RFC 8693 exchange only). */
export function tokenOf(principal: Principal): string | undefined {
  return tokens.get(principal);
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
