/**
 * Rate limits with express-rate-limit: one bucket per authenticated subject (per client IP
 * before authentication), and a stricter per-IP bucket that counts only failed
 * authentications, so token guessing is throttled without slowing honest callers. Standard
 * `RateLimit`/`RateLimit-Policy` headers (draft-8) and `Retry-After` on 429. The store is
 * pluggable (Redis, Memcached, …) for multi-replica deployments.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Principal } from '../mcp/principal.js';

/** Options for the two limiters. */
export interface RateLimitOptions {
  /** Window length in ms (default 60 000). */
  windowMs?: number;
  /** Requests per window per subject or IP (default 600). */
  limit?: number;
  /** Failed authentications per window per IP (default 30). */
  failedAuthLimit?: number;
  /** Shared store; in-memory per process when absent. */
  store?: Store;
  failedAuthStore?: Store;
}

/** The principal the auth step put on the response, if any. */
export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

const message = (what: string) => ({ jsonrpc: '2.0', id: null, error: { code: -32000, message: `Too many ${what}; retry after the time in the Retry-After header` } });

/** Create [failedAuthLimiter, requestLimiter]. */
export function createRateLimiters(opts: RateLimitOptions = {}): { failedAuth: RequestHandler; requests: RequestHandler } {
  const windowMs = opts.windowMs ?? 60_000;
  const limit = opts.limit ?? 600;
  const failedAuthLimit = opts.failedAuthLimit ?? 30;
  for (const [k, v] of Object.entries({ windowMs, limit, failedAuthLimit })) {
    if (!Number.isInteger(v) || v <= 0) throw new TypeError(`rate limit ${k} must be a positive integer, got ${v}`);
  }
  const common = { windowMs, standardHeaders: 'draft-8' as const, legacyHeaders: false };
  const failedAuth = rateLimit({
    ...common,
    limit: failedAuthLimit,
    identifier: 'failed-auth',
    skipSuccessfulRequests: true,
    // Only rejected credentials count: a 401 without any (every client's first, discovery
    // request) is not a guess, and a 403 step-up is an authenticated caller asking for more.
    requestWasSuccessful: (req: Request, res: Response) => res.statusCode !== 401 || req.headers.authorization === undefined,
    keyGenerator: (req: Request) => ipKeyGenerator(req.ip ?? ''),
    message: message('failed authentication attempts'),
    ...(opts.failedAuthStore ? { store: opts.failedAuthStore } : {}),
  });
  const requests = rateLimit({
    ...common,
    limit,
    identifier: 'requests',
    keyGenerator: (req: Request, res: Response) => {
      const p = principalOf(res);
      return p ? `sub:${p.issuer ?? ''}:${p.subject}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
    message: message('requests'),
    ...(opts.store ? { store: opts.store } : {}),
  });
  return { failedAuth, requests };
}
