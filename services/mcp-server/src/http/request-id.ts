/**
 * Request ids and the access log: accept a sane `X-Request-Id` or mint one, echo it, and log
 * one line per request when it finishes (method, path without query, status, duration).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fastLinesOf } from '../logging/fast-lines.js';
import type { Logger } from '../logging/logger.js';
import { addHeader, HeadResponse } from './response-headers.js';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Assigns the request's id (echoed, and seen by handlers and the audit log) and arranges its access line; returns the id. */
export type RequestTracker = (req: IncomingMessage, res: ServerResponse) => string;

/** The logged path: no query (it may carry secrets), capped (the request line is the client's, up to 16 KiB). */
function pathOf(url: string | undefined): string {
  const u = url ?? '';
  const q = u.indexOf('?');
  return (q < 0 ? u : u.slice(0, q)).slice(0, 256);
}

/** Create the tracker for `logger`; below info (LOG_LEVEL=warn and up) it adds no timer and no hook. */
export function createRequestTracker(logger: Logger): RequestTracker {
  const fast = fastLinesOf(logger);
  const logging = fast === undefined || fast.enabled;
  const line = (req: IncomingMessage, status: number, path: string, started: number): void => {
    // Microseconds are the clock's real resolution here; 17-digit doubles only lengthen the line.
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const id = req.headers['x-request-id'] as string;
    if (fast) fast.request(id, req.method, path, status, durationMs);
    else logger.info('request', { requestId: id, method: req.method, path, status, durationMs });
  };
  // One function for every HeadResponse: the request, start and status are on the response.
  // originalUrl: Express rewrites req.url under a mounted router; it keeps what arrived there.
  const finished = (res: HeadResponse): void => {
    const req = res.req as IncomingMessage & { originalUrl?: string };
    line(req, res.statusCode, pathOf(req.originalUrl ?? req.url), res.startedAt);
  };

  return function trackRequest(req, res) {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && SANE.test(given) ? given : randomUUID();
    addHeader(res, 'x-request-id', id);
    // Handlers, the audit log and the access line see the same id the client got back.
    req.headers['x-request-id'] = id;
    if (!logging) return id;
    // performance.now(): a double, where hrtime.bigint() allocates two BigInts per request.
    const started = performance.now();
    if (res instanceof HeadResponse) {
      res.onFinish(finished, started);
      return id;
    }
    // Read now: a mounted Express router rewrites req.url ('/mcp' → '/') before the response ends.
    const path = pathOf(req.url);
    res.once('finish', () => line(req, res.statusCode, path, started));
    return id;
  };
}
