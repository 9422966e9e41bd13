/**
 * Rate limits: one express-rate-limit bucket per authenticated subject (standard
 * `RateLimit`/`RateLimit-Policy` headers, draft-8, and `Retry-After` on 429; the store is
 * pluggable for multi-replica deployments), and the failed-authentication throttle
 * (failed-auth.ts), which acts only on requests whose credentials were rejected.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Principal } from '../mcp/principal.js';
import type { StateStore } from '../state/store.js';
import { FailedAuthThrottle } from './failed-auth.js';
import { SharedRateLimitStore } from './rate-limit-store.js';

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

/** The principal the auth step put on the response, if any. */
export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/** The address a failed-auth entry is kept under: the client IP, IPv6 by /56 subnet. */
export function addressKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? '');
}

const message = (what: string) => ({ jsonrpc: '2.0', id: null, error: { code: -32000, message: `Too many ${what}; retry after the time in the Retry-After header` } });

/** Create the per-subject limiter and the failed-auth throttle. */
export function createRateLimiters(opts: RateLimitOptions = {}): { failedAuth: FailedAuthThrottle; requests: RequestHandler } {
  const windowMs = opts.windowMs ?? 60_000;
  const limit = opts.limit ?? 600;
  const failedAuthLimit = opts.failedAuthLimit ?? 30;
  const failedAuthDelayMs = opts.failedAuthDelayMs ?? 1000;
  for (const [k, v] of Object.entries({ windowMs, limit, failedAuthLimit, failedAuthDelayMs })) {
    if (!Number.isInteger(v) || v <= 0) throw new TypeError(`rate limit ${k} must be a positive integer, got ${v}`);
  }
  const failedAuth = new FailedAuthThrottle({ windowMs, limit: failedAuthLimit, delayMs: failedAuthDelayMs, ...(opts.shared ? { shared: opts.shared } : {}) });
  const store = opts.store ?? (opts.shared ? new SharedRateLimitStore(opts.shared) : undefined);
  const requests = rateLimit({
    windowMs,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    limit,
    identifier: 'requests',
    keyGenerator: (req: Request, res: Response) => {
      const p = principalOf(res);
      return p ? `sub:${p.issuer ?? ''}:${p.subject}` : `ip:${addressKey(req)}`;
    },
    message: message('requests'),
    ...(store ? { store, passOnStoreError: true } : {}),
  });
  return { failedAuth, requests };
}
