/**
 * Rate limits: one bucket per authenticated subject (subject-limiter.ts: standard
 * `RateLimit`/`RateLimit-Policy` headers, draft-8, and `Retry-After` on 429; the store is an
 * express-rate-limit Store, pluggable for multi-replica deployments), and the
 * failed-authentication throttle (failed-auth.ts), which acts only on requests whose
 * credentials were rejected.
 */
import { ipKeyGenerator, type Store } from 'express-rate-limit';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { StateStore } from '../state/store.js';
import { FailedAuthThrottle } from './failed-auth.js';
import { SharedRateLimitStore } from './rate-limit-store.js';
import { createSubjectLimiter, type SubjectLimiter } from './subject-limiter.js';

/** Options for the limiters. */
export interface RateLimitOptions {
  /** Window length in ms (default 60 000). */
  windowMs?: number;
  /** Requests per window per subject (default 600). */
  limit?: number;
  /** Failed authentications per window per address before its failures are slowed (default 30). */
  failedAuthLimit?: number;
  /** Spacing of failure answers to an address over that limit, ms (default 1000). */
  failedAuthDelayMs?: number;
  /** Shared store for the per-subject bucket; in-memory per process when absent. */
  store?: Store;
  /**
   * The replicas' shared state (REDIS_URL): both buckets count across replicas. When it is
   * unreachable, requests pass (the per-subject limit is lifted for the outage, logged) and
   * failures count per replica: a Redis outage must not stop valid calls (docs/deploy.md).
   */
  shared?: StateStore;
}

/** The key a failed-auth entry is kept under: the client IP, IPv6 by /56 subnet. */
export function addressKey(ip: string | undefined): string {
  return ipKeyGenerator(ip ?? '');
}

/** Create the per-subject limiter and the failed-auth throttle; `logger` hears of store outages. */
export function createRateLimiters(opts: RateLimitOptions = {}, logger: Logger = silentLogger): { failedAuth: FailedAuthThrottle; requests: SubjectLimiter } {
  const windowMs = opts.windowMs ?? 60_000;
  const limit = opts.limit ?? 600;
  const failedAuthLimit = opts.failedAuthLimit ?? 30;
  const failedAuthDelayMs = opts.failedAuthDelayMs ?? 1000;
  for (const [k, v] of Object.entries({ windowMs, limit, failedAuthLimit, failedAuthDelayMs })) {
    if (!Number.isInteger(v) || v <= 0) throw new TypeError(`rate limit ${k} must be a positive integer, got ${v}`);
  }
  const failedAuth = new FailedAuthThrottle({ windowMs, limit: failedAuthLimit, delayMs: failedAuthDelayMs, ...(opts.shared ? { shared: opts.shared } : {}) });
  const store = opts.store ?? (opts.shared ? new SharedRateLimitStore(opts.shared) : undefined);
  const requests = createSubjectLimiter({ windowMs, limit, logger, ...(store ? { store } : {}) });
  return { failedAuth, requests };
}
