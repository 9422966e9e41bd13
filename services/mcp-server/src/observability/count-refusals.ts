/**
 * Count the per-subject limiter's 429s without reaching into express-rate-limit: a request
 * it refuses is one whose `next` it never calls and whose response it sends with 429.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { metrics } from './sink.js';

/** Wrap a rate limiter so its refusals reach `metrics.rateLimited('requests')`. */
export function countRefusals(limiter: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let passed = false;
    const done = limiter(req, res, (e?: unknown) => { passed = true; next(e); }) as unknown;
    const check = () => { if (!passed && res.statusCode === 429) metrics.rateLimited('requests'); };
    if (done instanceof Promise) done.then(check, () => {});
    else check();
  };
}
