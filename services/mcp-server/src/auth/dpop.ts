// DPoP proof verification for a resource server (RFC 9449 §4.3, §7.1): the proof JWT in the
// `DPoP` header shows that the caller holds the private key the access token is bound to.
// Express-free; the clock and the replay store are injected.
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { ASYMMETRIC_ALGORITHMS, checkAlgorithms } from './algorithms.js';
import { AuthError, ConfigurationError } from './errors.js';
import type { DpopNonces } from './dpop-nonce.js';
import type { StateStore } from '../state/store.js';

/** Algorithms accepted for proofs unless configured otherwise (asymmetric only, RFC 9449 §4.3 step 5). */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = Object.freeze(['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA']);
// Members that only a private (or symmetric) JWK carries (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_PROOF_BYTES = 8192;

/** Options for createDpopProofVerifier. */
export interface DpopProofVerifierOptions {
  /** Replay cache: each (key, jti) is claimed once with `ifAbsent` (RFC 9449 §11.1). */
  readonly store: StateStore;
  /** Accepted `alg` values (default DEFAULT_DPOP_ALGORITHMS); none and HS* are refused. */
  readonly algorithms?: readonly string[];
  /** How old a proof's `iat` may be, in seconds (default 60). */
  readonly maxAgeSeconds?: number;
  /** How far in the future `iat` may be, in seconds (default 5). */
  readonly clockToleranceSeconds?: number;
  /** When set, every proof must carry a current server nonce (RFC 9449 §9). */
  readonly nonces?: DpopNonces;
  /** Clock, epoch ms (default Date.now). */
  readonly now?: () => number;
}

/** One request's proof and what it must match. */
export interface DpopProofInput {
  /** The compact JWS from the single `DPoP` header. */
  readonly proof: string;
  /** The request method. */
  readonly method: string;
  /** The request URI as the client may have addressed it (any one must equal `htu`). */
  readonly urls: readonly string[];
  /** The access token sent with the proof (for `ath`). */
  readonly accessToken: string;
}

/** A verified proof. */
export interface DpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof key, to compare with the token's `cnf.jkt`. */
  readonly jkt: string;
}

/** Verifies DPoP proofs. */
export interface DpopProofVerifier {
  /** The accepted algorithms, for `algs` in challenges and RFC 9728 metadata. */
  readonly algorithms: readonly string[];
  /** Checks a proof per RFC 9449 §4.3; throws AuthError invalid_dpop_proof or use_dpop_nonce. */
  verify(input: DpopProofInput): Promise<DpopProof>;
}

const fail = (reason: string, cause?: unknown): AuthError =>
  new AuthError('invalid_dpop_proof', { reason, cause, scheme: 'DPoP' });

/** base64url(SHA-256(value)): the `ath` of an access token (RFC 9449 §4.2). */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

/** An absolute URI without query and fragment, normalized (RFC 9449 §4.3 step 9, RFC 3986 §6.2.2–6.2.3). */
export function normalizeHtu(value: string): string | undefined {
  try {
    const u = new URL(value);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

function seconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > 3600) throw new ConfigurationError(`${name} must be an integer in [0, 3600]`);
  return value;
}

/** Creates a DPoP proof verifier; throws ConfigurationError on bad options. */
export function createDpopProofVerifier(options: DpopProofVerifierOptions): DpopProofVerifier {
  const algorithms = checkAlgorithms('dpop algorithms', options.algorithms) ?? DEFAULT_DPOP_ALGORITHMS;
  if (!algorithms.every((a) => ASYMMETRIC_ALGORITHMS.includes(a))) throw new ConfigurationError('dpop algorithms must be asymmetric');
  const maxAge = seconds('maxAgeSeconds', options.maxAgeSeconds, 60);
  const tolerance = seconds('clockToleranceSeconds', options.clockToleranceSeconds, 5);
  const now = options.now ?? Date.now;
  const { store, nonces } = options;

  async function verify(input: DpopProofInput): Promise<DpopProof> {
    const { proof } = input;
    if (proof.length > MAX_PROOF_BYTES) throw fail('proof too large');
    // §4.3 step 2: a well-formed JWS; step 3: the header members, checked before any crypto.
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(proof);
      claims = decodeJwt(proof);
    } catch (e) {
      throw fail('not a JWT', e);
    }
    // Step 4: typ is exactly dpop+jwt.
    if (header.typ !== 'dpop+jwt') throw fail('typ is not dpop+jwt');
    // Step 5: an asymmetric algorithm from our allowlist (never none, never a MAC).
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw fail(`alg ${String(header.alg)} not allowed`);
    // Step 7: the jwk header carries a public key only.
    const jwk = header.jwk as JWK | undefined;
    if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw fail('jwk header missing');
    if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw fail('jwk contains private key members');
    // Step 6: the signature verifies with that key.
    try {
      await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [...algorithms], currentDate: new Date(now()) });
    } catch (e) {
      throw fail('signature', e);
    }
    // Step 3: the required claims, with their types.
    const { jti, htm, htu, iat, ath } = claims;
    if (typeof jti !== 'string' || jti === '' || jti.length > 256) throw fail('jti missing');
    if (typeof htm !== 'string') throw fail('htm missing');
    if (typeof htu !== 'string') throw fail('htu missing');
    if (typeof iat !== 'number') throw fail('iat missing');
    // Step 8: htm matches the request method.
    if (htm !== input.method) throw fail('htm does not match the request method');
    // Step 9: htu matches the request URI, ignoring query and fragment.
    const wanted = normalizeHtu(htu);
    if (wanted === undefined || !input.urls.some((u) => normalizeHtu(u) === wanted)) throw fail('htu does not match the request URI');
    // Step 10: a server-provided nonce, when we demand one (§9).
    if (nonces && (typeof claims.nonce !== 'string' || !nonces.check(claims.nonce))) {
      throw new AuthError('use_dpop_nonce', { reason: 'missing or stale nonce', scheme: 'DPoP', dpopNonce: nonces.current() });
    }
    // Step 11: created within an acceptable window (§11.1).
    const nowSeconds = Math.floor(now() / 1000);
    if (iat > nowSeconds + tolerance) throw fail('iat in the future');
    if (iat < nowSeconds - maxAge) throw fail('iat too old');
    // Step 12: ath binds the proof to this access token.
    if (typeof ath !== 'string' || ath !== accessTokenHash(input.accessToken)) throw fail('ath does not match the access token');
    const jkt = await calculateJwkThumbprint(jwk, 'sha256');
    // §11.1: a jti is accepted once within the window in which iat would still pass.
    const key = `dpop:jti:${createHash('sha256').update(`${jkt}\n${jti}`).digest('base64url')}`;
    const fresh = await store.set(key, '1', { ttlMs: (maxAge + tolerance + 1) * 1000, ifAbsent: true });
    if (!fresh) throw fail('replayed jti');
    return { jkt };
  }

  return { algorithms, verify };
}

/** The token's `cnf.jkt` (RFC 9449 §6), or undefined when the token is not DPoP-bound. */
export function boundThumbprint(claims: Readonly<Record<string, unknown>>): string | undefined {
  const cnf = claims.cnf;
  if (cnf === null || typeof cnf !== 'object') return undefined;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' ? jkt : undefined;
}

/**
 * Whether a Keycloak-style `typ` claim (introspection or JWT) marks an access token: absent,
 * "Bearer", or "DPoP", which Keycloak sets on the tokens it binds to a proof key; a "DPoP"
 * token must then carry `cnf.jkt`. ID and refresh tokens ("ID", "Refresh") are not.
 */
export function isAccessTokenTyp(claims: Readonly<Record<string, unknown>>): boolean {
  if (claims.typ === undefined) return true;
  const typ = String(claims.typ).toLowerCase();
  return typ === 'bearer' || (typ === 'dpop' && boundThumbprint(claims) !== undefined);
}
