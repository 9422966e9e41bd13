// Maps an AuthError to the HTTP answer: status, WWW-Authenticate (RFC 6750 §3, RFC 9728 §5.1)
// and a JSON body. Pure, so the HTTP glue and tests share exactly one implementation.
import { AuthError } from './errors.js';

/** Options for buildChallenge. */
export interface ChallengeOptions {
  /** Absolute URL of this resource's RFC 9728 metadata document. */
  readonly resourceMetadataUrl: string;
  /** Scopes to advertise on 401s (MCP "Scope Selection Strategy"). */
  readonly scope?: string | readonly string[];
  /** Optional RFC 6750 §3 realm. */
  readonly realm?: string;
}

/** The HTTP response parts for a failed authentication. */
export interface Challenge {
  readonly status: AuthError['status'];
  readonly headers: { readonly 'WWW-Authenticate': string; readonly 'Retry-After'?: string };
  readonly body: { readonly error: string; readonly error_description: string };
}

/** Sentinel accepted by buildChallenge for requests that carried no credentials. */
export const NO_CREDENTIALS = 'no credentials';

/**
 * Escapes a value for an RFC 9110 §5.6.4 quoted-string: CR, LF and other control characters
 * are dropped (header injection), `"` and `\` are backslash-escaped.
 */
export function quoteHeaderValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\x00-\x08\x0A-\x1F\x7F]/g, '').replace(/[\\"]/g, (c) => `\\${c}`);
  return `"${clean}"`;
}

const joinScope = (scope: string | readonly string[]): string =>
  typeof scope === 'string' ? scope : scope.join(' ');

/** Builds status, WWW-Authenticate header and body for an AuthError or missing credentials. */
export function buildChallenge(failure: AuthError | typeof NO_CREDENTIALS, options: ChallengeOptions): Challenge {
  const err = failure === NO_CREDENTIALS ? new AuthError('no_credentials') : failure;
  const params: Array<[string, string]> = [];
  if (options.realm !== undefined) params.push(['realm', options.realm]);
  // RFC 9728 §5.1 / MCP: every 401 points clients at the protected resource metadata.
  params.push(['resource_metadata', options.resourceMetadataUrl]);
  if (err.error !== undefined) {
    params.push(['error', err.error]);
    params.push(['error_description', err.description]);
  }
  if (err.code === 'insufficient_scope') {
    // RFC 6750 §3.1 + MCP step-up: `scope` names the scopes needed for this request.
    const needed = err.requiredScopes ?? (options.scope !== undefined ? [joinScope(options.scope)] : []);
    if (needed.length > 0) params.push(['scope', joinScope(needed)]);
  } else if (options.scope !== undefined && joinScope(options.scope) !== '') {
    params.push(['scope', joinScope(options.scope)]);
  }
  const header = `Bearer ${params.map(([k, v]) => `${k}=${quoteHeaderValue(v)}`).join(', ')}`;
  return {
    status: err.status,
    headers: err.status === 503 ? { 'WWW-Authenticate': header, 'Retry-After': '30' } : { 'WWW-Authenticate': header },
    // RFC 6750 §3.1 defines no code for "no credentials"; the body still needs a machine-readable one.
    body: { error: err.error ?? 'unauthorized', error_description: err.description },
  };
}
