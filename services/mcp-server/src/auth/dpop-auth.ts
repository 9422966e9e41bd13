// The per-deployment DPoP policy on top of the token verifier (RFC 9449 §7): which schemes a
// request may use, the proof for DPoP, and the key binding between proof and token.
import { extractBearerToken } from './bearer.js';
import { boundThumbprint, type DpopProofVerifier } from './dpop.js';
import { AuthError, isAuthError, type AuthScheme } from './errors.js';
import type { Principal } from './principal.js';
import type { TokenVerifier } from './verify.js';

/** off: Bearer only (DPoP unknown); allowed: Bearer or DPoP; required: DPoP only. */
export type DpopPolicy = 'off' | 'allowed' | 'required';

/** The parts of a request that carry credentials. */
export interface RequestCredentials {
  readonly authorization: string | undefined;
  /** The raw `DPoP` header value(s). */
  readonly dpop: string | readonly string[] | undefined;
  readonly method: string;
  /** The URIs the client may have addressed (for `htu`). */
  readonly urls: readonly string[];
}

/** Options for createCredentialVerifier. */
export interface CredentialVerifierOptions {
  readonly verifier: TokenVerifier;
  readonly policy: DpopPolicy;
  /** Required unless the policy is off. */
  readonly proofs?: DpopProofVerifier;
  readonly maxTokenBytes?: number;
}

/** Verifies a request's credentials under the DPoP policy. */
export interface CredentialVerifier {
  /** Principal for the request, or an AuthError (its `scheme` names the challenge to carry it). */
  verify(request: RequestCredentials): Promise<Principal>;
}

const DPOP_SCHEME = /^[ \t]*DPoP(?: +(.*))?$/i;

/** Re-labels an error from the token verifier as belonging to the given scheme. */
function as(scheme: AuthScheme, e: unknown): unknown {
  return isAuthError(e) && e.scheme !== scheme
    ? new AuthError(e.code, { reason: e.reason, cause: e.cause, scheme, requiredScopes: e.requiredScopes, dpopNonce: e.dpopNonce })
    : e;
}

/** Creates the policy-aware credential verifier. */
export function createCredentialVerifier(options: CredentialVerifierOptions): CredentialVerifier {
  const { verifier, policy, proofs, maxTokenBytes } = options;
  if (policy !== 'off' && !proofs) throw new TypeError(`DPoP policy '${policy}' needs a proof verifier`);

  async function viaDpop(rest: string | undefined, request: RequestCredentials): Promise<Principal> {
    let token: string;
    try {
      // The DPoP scheme carries a token68 exactly like Bearer (RFC 9449 §7.1).
      const t = extractBearerToken(`Bearer ${rest ?? ''}`, { maxTokenBytes });
      if (t.kind === 'none') throw new AuthError('invalid_request', { reason: 'DPoP scheme without token' });
      token = t.token;
    } catch (e) {
      throw as('DPoP', e);
    }
    // RFC 9449 §4.3 step 1: exactly one DPoP header field (a comma would join two).
    const values = typeof request.dpop === 'string' ? [request.dpop] : request.dpop ?? [];
    if (values.length !== 1 || values[0]!.includes(',') || values[0]!.trim() === '') {
      throw new AuthError('invalid_dpop_proof', { reason: `expected one DPoP header, got ${values.length}`, scheme: 'DPoP' });
    }
    const proof = await proofs!.verify({ proof: values[0]!.trim(), method: request.method, urls: request.urls, accessToken: token });
    let principal: Principal;
    try {
      principal = await verifier.verify(`Bearer ${token}`);
    } catch (e) {
      throw as('DPoP', e);
    }
    // RFC 9449 §7.1 / §6: the token must be bound to exactly the key that signed the proof.
    if (boundThumbprint(principal.claims) !== proof.jkt) {
      throw new AuthError('invalid_token', { reason: 'cnf.jkt does not match the DPoP proof key', scheme: 'DPoP' });
    }
    return principal;
  }

  return {
    async verify(request) {
      const m = request.authorization === undefined ? null : DPOP_SCHEME.exec(request.authorization);
      if (m && policy !== 'off') return viaDpop(m[1], request);
      if (policy === 'required' && extractBearerToken(request.authorization, { maxTokenBytes }).kind === 'token') {
        throw new AuthError('invalid_token', { reason: 'Bearer tokens are not accepted; DPoP is required', scheme: 'DPoP' });
      }
      const principal = await verifier.verify(request.authorization);
      // RFC 9449 §7.2: a DPoP-bound token MUST NOT be accepted as a bearer token.
      if (policy !== 'off' && boundThumbprint(principal.claims) !== undefined) {
        throw new AuthError('invalid_token', { reason: 'DPoP-bound token presented as Bearer (RFC 9449 §7.2)', scheme: 'DPoP' });
      }
      return principal;
    },
  };
}
