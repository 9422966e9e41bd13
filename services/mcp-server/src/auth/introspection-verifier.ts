// Opaque access tokens, verified by OAuth 2.0 Token Introspection (RFC 7662) with caching.
import * as client from 'openid-client';
import { createAsClient } from './as-client.js';
import type { ClientAuthOptions } from './as-client.js';
import { isAccessTokenTyp } from './dpop.js';
import { AuthError } from './errors.js';
import type { FetchLike } from './fetch-json.js';
import { checkAudiences, checkFunction, checkKnownKeys, checkNonNegative, checkPositiveInt } from './options.js';
import { identityBytes, principalFromIdentity, scopesFromClaims } from './principal.js';
import type { Principal, VerifiedIdentity } from './principal.js';
import { aggregateStatus } from './readiness.js';
import type { LastError, VerifierStatus } from './readiness.js';
import { createTokenCache, hashToken, stringBytes } from './token-cache.js';

/** Options for createIntrospectionVerifier (times in ms unless named *Seconds). */
export interface IntrospectionVerifierOptions {
  readonly issuer: string;
  /** This resource server's client at the AS (RFC 7662 §2.1: the caller must authenticate). */
  readonly clientId: string;
  readonly clientAuth: ClientAuthOptions;
  /** Skips discovery when set. */
  readonly introspectionEndpoint?: string;
  /** Accepted audiences; an `aud` in the response must contain one. */
  readonly audiences: readonly string[];
  /** Reject responses without `aud` (default false: RFC 7662 makes aud optional). */
  readonly requireAudience?: boolean;
  /** Upper bound for caching an active result (default 60000); never past `exp`. */
  readonly positiveTtlMs?: number;
  /** How long an inactive/invalid result is cached (default 10000). */
  readonly negativeTtlMs?: number;
  readonly cacheMaxEntries?: number;
  /** Estimated byte budget of the result cache (default 16 MiB). */
  readonly cacheMaxBytes?: number;
  readonly clockToleranceSeconds?: number;
  readonly timeoutMs?: number;
  readonly fetch?: FetchLike;
  /** Clock, epoch ms. */
  readonly now?: () => number;
  readonly allowInsecureHttp?: boolean;
  /** The AS answers scopes in `scp` instead of the RFC 7662 `scope` string (default false). */
  readonly scpClaim?: boolean;
}

/** Verifies opaque tokens by introspection. */
export interface IntrospectionVerifier {
  /** Verifies a token and returns its principal; throws AuthError. */
  verify(token: string): Promise<Principal>;
  /** Readiness of the introspection endpoint. */
  status(): VerifierStatus;
  /** Number of introspection requests sent (for metrics). */
  readonly requestCount: number;
}

const KNOWN = ['issuer', 'clientId', 'clientAuth', 'introspectionEndpoint', 'audiences', 'requireAudience',
  'positiveTtlMs', 'negativeTtlMs', 'cacheMaxEntries', 'cacheMaxBytes', 'clockToleranceSeconds', 'timeoutMs', 'fetch', 'now',
  'allowInsecureHttp', 'scpClaim'];

// An accepted result keeps the identity and the response's claims, never a principal: a
// principal is tied to its token, which the cache must not keep alive.
type Cached = { readonly identity: VerifiedIdentity; readonly claims: Readonly<Record<string, unknown>>; readonly bytes: number } | { readonly rejected: string };

/** Estimated bytes of a cached result (claims measured once, as JSON, when stored). */
const cachedBytes = (c: Cached): number => ('rejected' in c ? stringBytes(c.rejected) : c.bytes);

/** Creates an introspection verifier; discovery happens on first use. */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): IntrospectionVerifier {
  checkKnownKeys('IntrospectionVerifierOptions', options, KNOWN);
  const now = checkFunction('now', options.now, Date.now);
  const audiences = checkAudiences('audiences', options.audiences);
  const positiveTtl = checkPositiveInt('positiveTtlMs', options.positiveTtlMs, 60_000);
  const negativeTtl = checkNonNegative('negativeTtlMs', options.negativeTtlMs, 10_000);
  const toleranceMs = checkNonNegative('clockToleranceSeconds', options.clockToleranceSeconds, 30) * 1000;
  const getConfig = createAsClient({
    issuer: options.issuer,
    clientId: options.clientId,
    clientAuth: options.clientAuth,
    ...(options.introspectionEndpoint !== undefined
      ? { endpoints: { introspection_endpoint: options.introspectionEndpoint } } : {}),
    fetch: checkFunction<FetchLike>('fetch', options.fetch, (u, i) => fetch(u, i)),
    timeoutMs: checkPositiveInt('timeoutMs', options.timeoutMs, 5000),
    allowInsecureHttp: options.allowInsecureHttp ?? false,
  }, 'introspection_endpoint');
  const cache = createTokenCache<Cached>({ maxEntries: options.cacheMaxEntries, maxBytes: options.cacheMaxBytes, sizeOf: cachedBytes, now });
  const inflight = new Map<string, Promise<Cached>>();
  let requestCount = 0;
  let lastSuccessAt: number | undefined;
  let lastError: LastError | undefined;

  /** Applies the RFC 7662 §2.2 response checks; returns a principal or a rejection reason. */
  const evaluate = (r: client.IntrospectionResponse): Cached => {
    if (r.active !== true) return { rejected: 'inactive' };
    if (r.iss !== undefined && r.iss !== options.issuer) return { rejected: 'issuer' };
    const t = now();
    if (typeof r.exp === 'number' && r.exp * 1000 + toleranceMs <= t) return { rejected: 'expired' };
    if (typeof r.nbf === 'number' && r.nbf * 1000 - toleranceMs > t) return { rejected: 'not yet valid' };
    // RFC 8707 §2 / MCP: a token minted for another resource must not be accepted here.
    const aud = r.aud === undefined ? undefined : Array.isArray(r.aud) ? r.aud : [r.aud];
    if (aud ? !aud.some((a) => audiences.includes(a)) : options.requireAudience === true) return { rejected: 'audience' };
    if (!isAccessTokenTyp(r)) return { rejected: 'not an access token' };
    if (typeof r.sub !== 'string' || r.sub === '') return { rejected: 'no sub' };
    let scopes: string[];
    try { scopes = scopesFromClaims(r, { scp: options.scpClaim === true }); } catch (e) { return { rejected: (e as AuthError).reason ?? 'scope' }; }
    const identity: VerifiedIdentity = {
      subject: r.sub,
      ...(typeof r.client_id === 'string' ? { clientId: r.client_id } : {}),
      scopes: Object.freeze(scopes),
      ...(typeof r.exp === 'number' ? { expiresAt: r.exp } : {}),
      issuer: options.issuer, // iss, when present, was just checked to equal it
    };
    const claims = Object.freeze({ ...r });
    return { identity, claims, bytes: identityBytes(identity) + 2 * JSON.stringify(claims).length };
  };

  const introspect = async (token: string): Promise<Cached> => {
    let response: client.IntrospectionResponse;
    try {
      const config = await getConfig();
      requestCount++;
      response = await client.tokenIntrospection(config, token, { token_type_hint: 'access_token' });
    } catch (cause) {
      // Our own misconfiguration or an AS outage: not the caller's fault, and not cached.
      lastError = { message: cause instanceof Error ? cause.message : String(cause), at: now() };
      throw new AuthError('issuer_unavailable', { reason: 'introspection failed', cause });
    }
    lastSuccessAt = now();
    lastError = undefined;
    const result = evaluate(response);
    if ('identity' in result) {
      const exp = result.identity.expiresAt;
      cache.set(token, result, Math.min(now() + positiveTtl, exp === undefined ? Infinity : exp * 1000));
    } else {
      cache.set(token, result, now() + negativeTtl);
    }
    return result;
  };

  return {
    async verify(token) {
      let result = cache.get(token);
      if (!result) {
        // Concurrent requests with the same token share one introspection call.
        const key = hashToken(token);
        let pending = inflight.get(key);
        if (!pending) {
          pending = introspect(token).finally(() => inflight.delete(key));
          inflight.set(key, pending);
        }
        result = await pending;
      }
      if ('rejected' in result) throw new AuthError('invalid_token', { reason: result.rejected });
      return principalFromIdentity(result.identity, token, result.claims);
    },
    status: () => aggregateStatus([{
      name: options.issuer,
      state: lastError ? (lastSuccessAt === undefined ? 'not_ready' : 'degraded') : 'ready',
      ...(lastError ? { lastError } : {}),
    }]),
    get requestCount() {
      return requestCount;
    },
  };
}
