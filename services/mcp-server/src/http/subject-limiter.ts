/**
 * The per-subject request bucket on plain node:http responses. It replaces the
 * express-rate-limit middleware on the MCP path (which needs Express's `res.append`, `res.send`
 * and `req.ip`) with the same behaviour: the same Store interface and keys (`sub:<iss>:<sub>`),
 * the IETF draft-8 `RateLimit` / `RateLimit-Policy` headers byte for byte, `Retry-After` and
 * 429 once a subject exceeds its bucket, and requests let through (logged) while a shared
 * store is down (docs/deploy.md). Without a store it counts in this process and answers
 * synchronously (local-buckets.ts): no promise or microtask on the request path.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Options, Store } from 'express-rate-limit';
import type { Logger } from '../logging/logger.js';
import type { Principal } from '../mcp/principal.js';
import { metrics } from '../observability/sink.js';
import { LocalBuckets } from './local-buckets.js';
import { sendJson } from './response-channel.js';
import { addHeaders } from './response-headers.js';

/** Options for createSubjectLimiter. */
export interface SubjectLimiterOptions {
  windowMs: number;
  limit: number;
  /** Shared or custom store; counted in this process, synchronously, when absent. */
  store?: Store;
  logger: Logger;
  /** Clock of the in-process count (tests). */
  now?: () => number;
}

/** Count one request for `principal`; false (or a promise of it, with a store) when it answered 429. */
export type SubjectLimiter = (res: ServerResponse, principal: Principal) => boolean | Promise<boolean>;

/** The bucket's name in the draft-8 headers. */
const NAME = '"requests"';
const TOO_MANY = Object.freeze({ jsonrpc: '2.0', id: null, error: Object.freeze({ code: -32000, message: 'Too many requests; retry after the time in the Retry-After header' }) });

/** draft-8 `pk`: a short hash of the bucket key, as express-rate-limit computes it. */
function partitionKey(key: string): string {
  return Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');
}

/** Create the limiter; the store is initialised here, once. */
export function createSubjectLimiter(o: SubjectLimiterOptions): SubjectLimiter {
  const { windowMs, limit, logger } = o;
  for (const [k, v] of Object.entries({ windowMs, limit })) {
    if (!Number.isInteger(v) || v <= 0) throw new TypeError(`rate limit ${k} must be a positive integer, got ${v}`);
  }
  const windowSeconds = Math.ceil(windowMs / 1000);
  const policyHead = `${NAME}; q=${limit}; w=${windowSeconds}; pk=:`;
  // Keys repeat (one per subject): hash each once while it is in use.
  const pks = new Map<string, string>();
  const keyOf = (p: Principal) => `sub:${p.issuer ?? ''}:${p.subject}`;
  const secondsUntil = (ms: number, now: number) => Math.max(0, Math.ceil((ms - now) / 1000));

  /** The draft-8 headers, then 429 past the limit; true when the request may go on. */
  function answer(res: ServerResponse, key: string, totalHits: number, resetSeconds: number): boolean {
    if (!res.headersSent) {
      let pk = pks.get(key);
      if (pk === undefined) {
        if (pks.size >= 10_000) pks.clear();
        pks.set(key, pk = partitionKey(key));
      }
      addHeaders(res, ['ratelimit', `${NAME}; r=${Math.max(limit - totalHits, 0)}; t=${resetSeconds}`, 'ratelimit-policy', `${policyHead}${pk}:`]);
    }
    if (totalHits <= limit) return true;
    if (!res.headersSent) res.setHeader('Retry-After', String(resetSeconds));
    metrics.rateLimited('requests');
    sendJson(res, 429, TOO_MANY);
    return false;
  }

  const { store } = o;
  if (store === undefined) {
    const now = o.now ?? Date.now;
    const buckets = new LocalBuckets(windowMs, now);
    return function subjectLimiter(res, principal) {
      const key = keyOf(principal);
      const b = buckets.hit(key);
      return answer(res, key, b.hits, secondsUntil(b.resetAt, now()));
    };
  }
  try {
    // Both shipped stores read windowMs only; the rest of express-rate-limit's options do not apply.
    void Promise.resolve(store.init?.({ windowMs, limit } as Options)).catch((e: unknown) => logger.error('rate limit store failed to start', { error: e }));
  } catch (e) { logger.error('rate limit store failed to start', { error: e }); }

  return async function subjectLimiter(res, principal) {
    const key = keyOf(principal);
    let totalHits: number;
    let resetTime: Date | undefined;
    try {
      ({ totalHits, resetTime } = await store.increment(key));
    } catch (e) {
      // A shared store that is down lifts the limit for the outage (docs/deploy.md).
      logger.error('rate limit store failed: request allowed without the per-subject limit', { error: e });
      return true;
    }
    return answer(res, key, totalHits, resetTime ? secondsUntil(resetTime.getTime(), Date.now()) : windowSeconds);
  };
}
