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
  /** DPoP (RFC 9449 §7.1): the accepted proof algorithms, and whether Bearer is refused. */
  readonly dpop?: { readonly algorithms: readonly string[]; readonly required: boolean };
}

/** The HTTP response parts for a failed authentication. */
export interface Challenge {
  readonly status: AuthError['status'];
  readonly headers: { readonly 'WWW-Authenticate': string; readonly 'Retry-After'?: string; readonly 'DPoP-Nonce'?: string };
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
  const common: Array<[string, string]> = [];
  if (options.realm !== undefined) common.push(['realm', options.realm]);
  // RFC 9728 §5.1 / MCP: every 401 points clients at the protected resource metadata.
  common.push(['resource_metadata', options.resourceMetadataUrl]);
  const errorParams: Array<[string, string]> = [];
  if (err.error !== undefined) {
    errorParams.push(['error', err.error]);
    errorParams.push(['error_description', err.description]);
  }
  const scopeParams: Array<[string, string]> = [];
  if (err.code === 'insufficient_scope') {
    // RFC 6750 §3.1 + MCP step-up: `scope` names the scopes needed for this request.
    const needed = err.requiredScopes ?? (options.scope !== undefined ? [joinScope(options.scope)] : []);
    if (needed.length > 0) scopeParams.push(['scope', joinScope(needed)]);
  } else if (options.scope !== undefined && joinScope(options.scope) !== '') {
    scopeParams.push(['scope', joinScope(options.scope)]);
  }
  const render = (scheme: string, params: Array<[string, string]>) =>
    `${scheme} ${params.map(([k, v]) => `${k}=${quoteHeaderValue(v)}`).join(', ')}`;
  const { dpop } = options;
  // RFC 9449 §7.1: the error goes on the challenge of the scheme the client used.
  const onDpop = dpop !== undefined && (dpop.required || err.scheme === 'DPoP');
  const challenges: string[] = [];
  if (!dpop?.required) challenges.push(render('Bearer', [...common, ...(onDpop ? [] : errorParams), ...scopeParams]));
  if (dpop) {
    // §7.1: `algs` lists the JWS algorithms accepted for proofs.
    challenges.push(render('DPoP', [...common, ...(onDpop ? errorParams : []), ...scopeParams, ['algs', dpop.algorithms.join(' ')]]));
  }
  const header = challenges.join(', ');
  const headers: Challenge['headers'] = {
    'WWW-Authenticate': header,
    ...(err.status === 503 ? { 'Retry-After': '30' } : {}),
    // RFC 9449 §9: the nonce the client must put in its next proof.
    ...(err.dpopNonce !== undefined ? { 'DPoP-Nonce': err.dpopNonce } : {}),
  };
  return {
    status: err.status,
    headers,
    // RFC 6750 §3.1 defines no code for "no credentials"; the body still needs a machine-readable one.
    body: { error: err.error ?? 'unauthorized', error_description: err.description },
  };
}
