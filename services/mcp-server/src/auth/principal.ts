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

/** Parses scopes from `scope` (RFC 9068 §2.2.3, space-delimited) or `scp` (array or string). */
export function scopesFromClaims(claims: Readonly<Record<string, unknown>>): string[] {
  const raw = claims.scope ?? claims.scp;
  const list = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw : [];
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
