// A JWKS key source with an injectable clock, written instead of jose's createRemoteJWKSet
// because we need (a) stale-if-error: cached keys keep validating while the AS is down, and
// (b) a readiness report. Key selection itself is delegated to jose's createLocalJWKSet.
import { createLocalJWKSet, errors } from 'jose';
import type { CryptoKey, FlattenedJWSInput, JSONWebKeySet, JWSHeaderParameters } from 'jose';
import { AuthError } from './errors.js';
import { fetchJsonObject } from './fetch-json.js';
import type { FetchLike } from './fetch-json.js';
import { metrics } from '../observability/sink.js';
import type { LastError, ReadinessState } from './readiness.js';

/** Options for createJwksKeySource (all times in milliseconds). */
export interface JwksKeySourceOptions {
  /** Resolves the jwks_uri (may perform metadata discovery). */
  readonly resolveJwksUri: () => Promise<string>;
  readonly fetch: FetchLike;
  readonly now: () => number;
  /** Minimum time between fetch attempts triggered by unknown kids or failures. */
  readonly cooldownMs: number;
  /** Age after which keys are refreshed (kept if the refresh fails). */
  readonly maxAgeMs: number;
  readonly timeoutMs: number;
}

/** Readiness of one key source. */
export interface KeySourceStatus {
  readonly state: ReadinessState;
  readonly keyCount: number;
  /** Epoch ms of the last successful fetch. */
  readonly lastSuccessAt?: number;
  /** Last failure, cleared by the next success. */
  readonly lastError?: LastError;
}

/** A cached, self-refreshing JWKS usable as a jose key resolver. */
export interface JwksKeySource {
  /** jose-compatible key resolver. */
  getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey>;
  /** Fetches the key set now (errors propagate; cached keys are kept). */
  refresh(): Promise<void>;
  /** Current readiness. */
  status(): KeySourceStatus;
}

/** Creates a JWKS key source; nothing is fetched until first use or refresh(). */
export function createJwksKeySource(options: JwksKeySourceOptions): JwksKeySource {
  const { now, cooldownMs, maxAgeMs } = options;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let keyCount = 0;
  let fetchedAt: number | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastError: { message: string; at: number } | undefined;
  let inflight: Promise<void> | undefined;

  const load = (): Promise<void> => {
    if (inflight) return inflight; // concurrent callers share one request
    lastAttemptAt = now();
    inflight = (async () => {
      try {
        const uri = await options.resolveJwksUri();
        const doc = await fetchJsonObject(options.fetch, uri, options.timeoutMs);
        if (!Array.isArray(doc.keys)) throw new Error(`JWKS at ${uri} has no "keys" array`);
        local = createLocalJWKSet(doc as unknown as JSONWebKeySet); // validates the set shape
        keyCount = doc.keys.length;
        fetchedAt = now();
        lastError = undefined;
        metrics.jwksFetch(true);
      } catch (err) {
        metrics.jwksFetch(false);
        lastError = { message: err instanceof Error ? err.message : String(err), at: now() };
        throw err;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  // The cooldown applies to every attempt, successful or not, so neither a flood of unknown
  // kids nor an AS outage can turn into a request storm against the AS.
  const mayAttempt = (): boolean => inflight !== undefined || now() - lastAttemptAt >= cooldownMs;

  const getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    if (!local) {
      if (!mayAttempt()) throw new AuthError('issuer_unavailable', { reason: 'jwks unavailable (cooling down)' });
      try {
        await load();
      } catch (cause) {
        throw new AuthError('issuer_unavailable', { reason: 'jwks unavailable', cause });
      }
    } else if (fetchedAt !== undefined && now() - fetchedAt >= maxAgeMs && mayAttempt()) {
      await load().catch(() => undefined); // stale-if-error: keep the cached keys
    }
    try {
      return await local!(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || !mayAttempt()) throw err;
      // An unknown kid may be a freshly rotated key: refresh once, then retry the lookup.
      await load().catch(() => undefined);
      return local!(header, token);
    }
  };

  return {
    getKey,
    refresh: load,
    status: () => ({
      state: !local ? 'not_ready' : lastError ? 'degraded' : 'ready',
      keyCount,
      ...(fetchedAt !== undefined ? { lastSuccessAt: fetchedAt } : {}),
      ...(lastError ? { lastError: { ...lastError } } : {}),
    }),
  };
}
