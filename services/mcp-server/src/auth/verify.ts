// The single entry point the HTTP layer calls: Authorization header in, Principal out.
import { decodeJwt } from 'jose';
import { checkMaxTokenBytes, extractBearerToken } from './bearer.js';
import { AuthError, ConfigurationError } from './errors.js';
import type { FetchLike } from './fetch-json.js';
import { createIntrospectionVerifier } from './introspection-verifier.js';
import type { IntrospectionVerifier, IntrospectionVerifierOptions } from './introspection-verifier.js';
import { createJwtVerifier } from './jwt-verifier.js';
import type { JwtVerifier, JwtVerifierOptions } from './jwt-verifier.js';
import { checkAudiences, checkFunction, checkKnownKeys } from './options.js';
import { identityBytes, identityOf, principalFromIdentity } from './principal.js';
import type { Principal, VerifiedIdentity } from './principal.js';
import { aggregateStatus } from './readiness.js';
import type { VerifierStatus } from './readiness.js';
import { createTokenCache } from './token-cache.js';
import { metrics } from '../observability/sink.js';
import { checkResourceUri } from './urls.js';

/** Options shared by both verifiers, set once at the top level. */
type Shared = 'audiences' | 'now' | 'fetch' | 'allowInsecureHttp';

/** Options for createTokenVerifier. */
export interface TokenVerifierOptions {
  /** 'jwt' (RFC 9068), 'introspection' (RFC 7662), or 'auto': JWT-shaped → jwt, else introspection. */
  readonly mode: 'jwt' | 'introspection' | 'auto';
  /** Canonical resource URI of this server (RFC 8707 / RFC 9728 `resource`). */
  readonly resource: string;
  /** Accepted audiences (default: [resource]). */
  readonly audiences?: readonly string[];
  /** Token length cap before any parsing (default 8192). */
  readonly maxTokenBytes?: number;
  /**
   * Cache of verified JWT identities (subject, client, scopes, expiry, issuer; never the token
   * or its claims); false disables it. LRU within maxEntries (default 10000) and an estimated
   * maxBytes (default 16 MiB).
   */
  readonly cache?: { readonly maxEntries?: number; readonly maxBytes?: number } | false;
  readonly jwt?: Omit<JwtVerifierOptions, Shared>;
  readonly introspection?: Omit<IntrospectionVerifierOptions, Shared>;
  readonly fetch?: FetchLike;
  /** Clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  /** Permit http to non-loopback hosts (development only). */
  readonly allowInsecureHttp?: boolean;
}

/** The verifier handed to the HTTP layer. */
export interface TokenVerifier {
  /** Verifies an Authorization header value; throws AuthError (code no_credentials when absent). */
  verify(authorizationHeader: string | undefined): Promise<Principal>;
  /** Readiness report for health endpoints. */
  status(): VerifierStatus;
  /** Pre-fetches JWT keys so the first request is fast; never throws. */
  warmUp(): Promise<VerifierStatus>;
}

const KNOWN = ['mode', 'resource', 'audiences', 'maxTokenBytes', 'cache', 'jwt', 'introspection', 'fetch', 'now',
  'allowInsecureHttp'];
const MODES = ['jwt', 'introspection', 'auto'];
// A compact JWS: base64url header starting with `{"` (eyJ), payload, signature (RFC 7515 §7.1).
const JWS_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True when a token looks like a compact JWS (used by mode 'auto'). */
export function isJwtShaped(token: string): boolean {
  return JWS_SHAPE.test(token);
}

/** Creates the token verifier; all options are validated here, nothing is fetched yet. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  checkKnownKeys('TokenVerifierOptions', options, KNOWN);
  if (!MODES.includes(options.mode)) {
    const near = MODES.find((m) => String(options.mode).toLowerCase().startsWith(m.slice(0, 3)));
    throw new ConfigurationError(`mode must be one of ${MODES.join(', ')}`, near && `"${near}"`);
  }
  const allowInsecureHttp = options.allowInsecureHttp ?? false;
  const resource = checkResourceUri('resource', options.resource, allowInsecureHttp);
  const audiences = checkAudiences('audiences', options.audiences ?? [resource]);
  const maxTokenBytes = checkMaxTokenBytes(options.maxTokenBytes);
  const now = checkFunction('now', options.now, Date.now);
  const shared = { audiences, now, allowInsecureHttp, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const wantsJwt = options.mode !== 'introspection';
  const wantsIntrospection = options.mode !== 'jwt';
  if (wantsJwt && !options.jwt) throw new ConfigurationError(`mode '${options.mode}' requires the jwt options`);
  if (wantsIntrospection && !options.introspection) {
    throw new ConfigurationError(`mode '${options.mode}' requires the introspection options`);
  }
  const jwt: JwtVerifier | undefined = wantsJwt ? createJwtVerifier({ ...options.jwt!, ...shared }) : undefined;
  const introspection: IntrospectionVerifier | undefined = wantsIntrospection
    ? createIntrospectionVerifier({ ...options.introspection!, ...shared })
    : undefined;
  // Only JWT results are cached here: introspection keeps its own, shorter-lived cache so that
  // revocation is noticed within its positive TTL (RFC 7662 §4).
  const cache = options.cache === false ? undefined
    : createTokenCache<VerifiedIdentity>({ maxEntries: options.cache?.maxEntries, maxBytes: options.cache?.maxBytes, sizeOf: identityBytes, now });

  const verifyJwt = async (token: string): Promise<Principal> => {
    const hit = cache?.get(token);
    if (cache) metrics.tokenCache(hit !== undefined, cache.size);
    // A hit means this exact token (same SHA-256) was verified, so its claims decode as they did then.
    if (hit) return principalFromIdentity(hit, token, decodeJwt);
    const principal = await jwt!.verify(token);
    if (principal.expiresAt !== undefined) cache?.set(token, identityOf(principal), principal.expiresAt * 1000);
    return principal;
  };

  const status = (): VerifierStatus =>
    aggregateStatus([...(jwt?.status().components ?? []), ...(introspection?.status().components ?? [])]);

  return {
    async verify(authorizationHeader) {
      const extracted = extractBearerToken(authorizationHeader, { maxTokenBytes });
      if (extracted.kind === 'none') throw new AuthError('no_credentials');
      const { token } = extracted;
      if (jwt && (!introspection || isJwtShaped(token))) return verifyJwt(token);
      return introspection!.verify(token);
    },
    status,
    async warmUp() {
      await jwt?.warmUp();
      return status();
    },
  };
}
