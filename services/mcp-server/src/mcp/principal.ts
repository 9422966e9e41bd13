/**
 * Who is calling. The auth layer fills this from a verified access token; STDIO uses a
 * configured local principal. Every handler sees it on `ctx.principal`.
 */

/** An authenticated caller. */
export interface Principal {
  /** `sub` of the token, or a configured local identity. */
  readonly subject: string;
  /** OAuth client that obtained the token (`client_id` or `azp`). */
  readonly clientId?: string;
  /** Granted scopes. */
  readonly scopes: readonly string[];
  /** Verified token claims (never the token itself). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Token expiry, epoch seconds. */
  readonly expiresAt?: number;
  /** Issuer that vouched for the subject. */
  readonly issuer?: string;
}

/** A stable key for binding sessions and request state to a principal. */
export function principalKey(p: Principal): string {
  return `${p.issuer ?? ''}\u0000${p.subject}`;
}

/** Build a principal for local use (STDIO, tests, the unauthenticated development mode). */
export function localPrincipal(subject = 'local', scopes: readonly string[] = [], clientId = 'local'): Principal {
  return Object.freeze({ subject, clientId, scopes: Object.freeze([...scopes]), claims: Object.freeze({}) });
}

/**
 * The any-of scope rule: an item that declares scopes is visible and callable when the
 * principal holds at least one of them; an item without scopes is open to every
 * authenticated principal.
 */
export function allows(required: readonly string[] | undefined, granted: readonly string[]): boolean {
  if (!required || required.length === 0) return true;
  for (const s of required) if (granted.includes(s)) return true;
  return false;
}
