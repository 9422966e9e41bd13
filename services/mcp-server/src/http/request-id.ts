/**
 * Request ids and the access log: accept a sane `X-Request-Id` or mint one, echo it, and log
 * one line per request when it finishes (method, path without query, status, duration).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fastLinesOf } from '../logging/fast-lines.js';
import type { Logger } from '../logging/logger.js';
import { addHeader } from './response-headers.js';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Assign the id and arrange the access log line; returns the id. */
export function trackRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SANE.test(given) ? given : randomUUID();
  addHeader(res, 'x-request-id', id);
  // Handlers and the audit log see the same id the client got back.
  req.headers['x-request-id'] = id;
  const fast = fastLinesOf(logger);
  // Below info (LOG_LEVEL=warn and up) there is no access line: no timer, no listener.
  if (fast && !fast.enabled) return id;
  // performance.now(): a double, where hrtime.bigint() allocates two BigInts per request.
  const started = performance.now();
  // Read now: a mounted Express router rewrites req.url ('/mcp' → '/') before the response ends.
  // Capped: the request line is the client's (up to Node's 16 KiB header limit) and every log line is kept.
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).slice(0, 256);
  res.once('finish', () => {
    const durationMs = performance.now() - started;
    if (fast) fast.request(id, req.method, path, res.statusCode, durationMs);
    else logger.info('request', { requestId: id, method: req.method, path, status: res.statusCode, durationMs });
  });
  return id;
}
