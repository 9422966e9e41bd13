// JWT access-token verification (RFC 9068 §4) against one or more trusted issuers.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { algorithmsFromMetadata, ASYMMETRIC_ALGORITHMS, checkAlgorithms } from './algorithms.js';
import { isAccessTokenTyp } from './dpop.js';
import { AuthError, ConfigurationError } from './errors.js';
import type { FetchLike } from './fetch-json.js';
import { discoverIssuerMetadata } from './issuer-metadata.js';
import type { IssuerMetadata } from './issuer-metadata.js';
import { createJwksKeySource } from './jwks-key-source.js';
import type { JwksKeySource } from './jwks-key-source.js';
import { checkAudiences, checkFunction, checkIssuer, checkKnownKeys, checkNonNegative, checkPositiveInt } from './options.js';
import { createPrincipal, scopesFromClaims } from './principal.js';
import type { Principal } from './principal.js';
import { aggregateStatus } from './readiness.js';
import type { VerifierStatus } from './readiness.js';
import { checkEndpointUrl } from './urls.js';

/** A trusted issuer; `jwksUri` skips metadata discovery. */
export interface JwtIssuerOptions {
  readonly issuer: string;
  readonly jwksUri?: string;
  /** Overrides the verifier-wide/metadata algorithm list for this issuer. */
  readonly algorithms?: readonly string[];
  /** This issuer puts scopes in `scp` instead of the RFC 9068 `scope` string (default false). */
  readonly scpClaim?: boolean;
}

/** Options for createJwtVerifier (times in ms unless named *Seconds). */
export interface JwtVerifierOptions {
  /** Trusted issuers; `iss` must equal one exactly (RFC 9068 §4 step 3). */
  readonly issuers: readonly (string | JwtIssuerOptions)[];
  /** Accepted audiences; usually just the canonical resource URI (RFC 8707). */
  readonly audiences: readonly string[];
  /** Accepted algorithms (asymmetric only); default: from AS metadata. */
  readonly algorithms?: readonly string[];
  /** Allowed clock skew for exp/nbf/iat (default 30). */
  readonly clockToleranceSeconds?: number;
  /** 'strict': header typ must be at+jwt; 'lenient' (default): also JWT or absent. */
  readonly typ?: 'strict' | 'lenient';
  /** Minimum interval between JWKS fetch attempts (default 30000). */
  readonly jwksCooldownMs?: number;
  /** Age after which a JWKS is refreshed (default 600000). */
  readonly jwksMaxAgeMs?: number;
  /** Timeout for metadata and JWKS requests (default 5000). */
  readonly timeoutMs?: number;
  readonly fetch?: FetchLike;
  /** Clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  /** Permit http for non-loopback issuers (development only). */
  readonly allowInsecureHttp?: boolean;
}

/** Verifies JWT access tokens. */
export interface JwtVerifier {
  /** Verifies a token and returns its principal; throws AuthError. */
  verify(token: string): Promise<Principal>;
  /** Readiness of every issuer's key set. */
  status(): VerifierStatus;
  /** Fetches metadata and keys for every issuer now; never throws. */
  warmUp(): Promise<VerifierStatus>;
}

interface IssuerState {
  readonly issuer: string;
  readonly keys: JwksKeySource;
  jwksUri: string | undefined;
  algorithms: readonly string[] | undefined;
  readonly scpClaim: boolean;
}

const KNOWN = ['issuers', 'audiences', 'algorithms', 'clockToleranceSeconds', 'typ', 'jwksCooldownMs',
  'jwksMaxAgeMs', 'timeoutMs', 'fetch', 'now', 'allowInsecureHttp'];
// RFC 9068 §4: typ MUST be at+jwt; "JWT"/absent tolerated in lenient mode (Keycloak, Entra).
const STRICT_TYP = new Set(['at+jwt']);
const LENIENT_TYP = new Set(['at+jwt', 'jwt', '']);

/** Creates a JWT access-token verifier; validates options eagerly, fetches lazily. */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  checkKnownKeys('JwtVerifierOptions', options, KNOWN);
  const insecure = options.allowInsecureHttp ?? false;
  const audiences = checkAudiences('audiences', options.audiences);
  const globalAlgs = checkAlgorithms('algorithms', options.algorithms);
  const tolerance = checkNonNegative('clockToleranceSeconds', options.clockToleranceSeconds, 30);
  const timeoutMs = checkPositiveInt('timeoutMs', options.timeoutMs, 5000);
  const now = checkFunction('now', options.now, Date.now);
  const fetchImpl = checkFunction<FetchLike>('fetch', options.fetch, (u, i) => fetch(u, i));
  if (options.typ !== undefined && options.typ !== 'strict' && options.typ !== 'lenient') {
    throw new ConfigurationError(`typ must be 'strict' or 'lenient', got ${JSON.stringify(options.typ)}`);
  }
  const typs = options.typ === 'strict' ? STRICT_TYP : LENIENT_TYP;
  if (!Array.isArray(options.issuers) || options.issuers.length === 0) {
    throw new ConfigurationError('issuers must list at least one trusted issuer');
  }
  const keyOptions = {
    fetch: fetchImpl, now, timeoutMs,
    cooldownMs: checkNonNegative('jwksCooldownMs', options.jwksCooldownMs, 30_000),
    maxAgeMs: checkNonNegative('jwksMaxAgeMs', options.jwksMaxAgeMs, 600_000),
  };
  const issuers = new Map<string, IssuerState>();
  for (const entry of options.issuers) {
    const cfg: JwtIssuerOptions = typeof entry === 'string' ? { issuer: entry } : entry;
    const issuer = checkIssuer('issuers[].issuer', cfg.issuer, insecure);
    if (issuers.has(issuer)) throw new ConfigurationError(`issuer listed twice: ${issuer}`);
    const jwksUri = cfg.jwksUri === undefined ? undefined : checkEndpointUrl('jwksUri', cfg.jwksUri, insecure).href;
    const state: IssuerState = {
      issuer,
      jwksUri,
      scpClaim: cfg.scpClaim === true,
      algorithms: checkAlgorithms('issuers[].algorithms', cfg.algorithms) ?? globalAlgs,
      keys: createJwksKeySource({
        ...keyOptions,
        resolveJwksUri: async () => {
          if (state.jwksUri) return state.jwksUri; // discovered once, then kept for the process lifetime
          const metadata: IssuerMetadata = await discoverIssuerMetadata(issuer, fetchImpl, timeoutMs);
          state.algorithms ??= algorithmsFromMetadata(metadata);
          // The jwks_uri decides which keys we trust, so it gets the same TLS policy as the issuer.
          return (state.jwksUri = checkEndpointUrl('jwks_uri', metadata.jwks_uri, insecure).href);
        },
      }),
    };
    issuers.set(issuer, state);
  }

  const verify = async (token: string): Promise<Principal> => {
    // Cheap, unauthenticated pre-checks first, so junk never reaches the network or crypto.
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (cause) {
      throw new AuthError('invalid_token', { reason: 'malformed jwt', cause });
    }
    if (typeof header.alg !== 'string' || !(globalAlgs ?? ASYMMETRIC_ALGORITHMS).includes(header.alg)) {
      throw new AuthError('invalid_token', { reason: 'algorithm not allowed' });
    }
    const typ = typeof header.typ === 'string' ? header.typ.toLowerCase().replace(/^application\//, '') : '';
    if (!typs.has(typ)) throw new AuthError('invalid_token', { reason: 'wrong token type' });
    // Only contact issuers we already trust: the unverified iss must match exactly.
    const state = typeof unverified.iss === 'string' ? issuers.get(unverified.iss) : undefined;
    if (!state) throw new AuthError('invalid_token', { reason: 'untrusted issuer' });
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, async (h, t) => {
        const key = await state.keys.getKey(h, t);
        if (!(state.algorithms ?? ASYMMETRIC_ALGORITHMS).includes(h.alg)) throw new errors.JOSEAlgNotAllowed('alg');
        return key;
      }, {
        algorithms: [...(globalAlgs ?? ASYMMETRIC_ALGORITHMS)],
        issuer: state.issuer,
        audience: [...audiences], // RFC 9068 §4 step 4 / RFC 8707: must contain our resource
        requiredClaims: ['iss', 'aud', 'exp', 'sub'], // RFC 9068 §2.2: exp is REQUIRED
        clockTolerance: tolerance,
        currentDate: new Date(now()),
      }));
    } catch (err) {
      throw toAuthError(err);
    }
    return toPrincipal(payload, token, now() / 1000 + tolerance, state);
  };

  const status = (): VerifierStatus =>
    aggregateStatus([...issuers.values()].map((s) => ({ name: s.issuer, ...s.keys.status() })));

  return {
    verify,
    status,
    warmUp: async () => {
      await Promise.all([...issuers.values()].map((s) => s.keys.refresh().catch(() => undefined)));
      return status();
    },
  };
}

function toPrincipal(payload: JWTPayload, token: string, latestIat: number, state: IssuerState): Principal {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthError('invalid_token', { reason: 'no sub' });
  // jose only checks iat against maxTokenAge; a token "issued" in the future is bogus.
  if (typeof payload.iat === 'number' && payload.iat > latestIat) {
    throw new AuthError('invalid_token', { reason: 'iat in the future' });
  }
  // Keycloak marks token kinds in a `typ` claim; only access tokens ("Bearer", or "DPoP" when
  // bound to a proof key) are accepted, so an ID or refresh token with our audience can never
  // act as an access token.
  if (!isAccessTokenTyp(payload)) {
    throw new AuthError('invalid_token', { reason: 'not an access token' });
  }
  const clientId = typeof payload.client_id === 'string' ? payload.client_id
    : typeof payload.azp === 'string' ? payload.azp : undefined;
  return createPrincipal({
    subject: payload.sub,
    ...(clientId !== undefined ? { clientId } : {}),
    scopes: scopesFromClaims(payload, { scp: state.scpClaim }),
    claims: payload,
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
    // jose checked iss equals it: the configured string is shared by every cached identity.
    issuer: state.issuer,
  }, token);
}

function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  const reason =
    err instanceof errors.JWTExpired ? 'expired'
    : err instanceof errors.JWTClaimValidationFailed ? `claim ${err.claim}: ${err.reason}`
    : err instanceof errors.JOSEAlgNotAllowed ? 'algorithm not allowed'
    : err instanceof errors.JWSSignatureVerificationFailed ? 'signature'
    : err instanceof errors.JWKSNoMatchingKey ? 'no matching key'
    : err instanceof errors.JWKSMultipleMatchingKeys ? 'ambiguous key'
    : 'malformed jwt';
  return new AuthError('invalid_token', { reason, cause: err });
}
