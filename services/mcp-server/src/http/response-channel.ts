/**
 * One POST's response: plain `application/json` when the handler emits nothing before its
 * result, upgraded to `text/event-stream` the moment it streams (progress, logs, server
 * requests, subscription notifications). Writes after the client went away are dropped.
 * A JSON reply is one `res.end(body)`: Node sends the headers and body in one write and
 * computes Content-Length itself, so nothing is measured or copied twice.
 */
import type { ServerResponse } from 'node:http';
import type { QuotaExceededError } from '../mcp/bounds.js';
import type { Reply } from '../mcp/engine.js';
import { addHeader, addHeaders } from './response-headers.js';

const KEEPALIVE_MS = 25_000;
const SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-store',
  // streamable-http §Receiving Messages: tell proxies not to buffer the stream.
  'x-accel-buffering': 'no',
});

/** Response writer for one request. */
export class ResponseChannel {
  private sse = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly res: ServerResponse, private readonly extraHeaders?: Record<string, string>) {}

  /** True once the client can no longer receive anything. */
  get closed(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }

  /** Start the SSE stream now, before any message (long-lived GET streams). */
  open(): void {
    if (!this.sse && !this.closed) this.startSse();
  }

  /** Send one JSON-RPC message before the final reply (switches to SSE). */
  send(message: unknown): void {
    if (this.closed) return;
    if (!this.sse) this.startSse();
    this.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** Send the final reply and end the response. */
  finish(reply: Reply): void {
    this.stopKeepalive();
    if (this.closed) return;
    if (this.sse) {
      this.res.end(`event: message\ndata: ${reply.body}\n\n`);
      return;
    }
    writeJson(this.res, reply.status, reply.body, this.extraHeaders);
  }

  /** End without a reply (the request was cancelled): close the stream, or 204 if none opened. */
  abandon(): void {
    this.stopKeepalive();
    if (this.closed) return;
    if (this.sse) this.res.end();
    else this.res.writeHead(204, this.extraHeaders).end();
  }

  private startSse(): void {
    this.sse = true;
    this.res.writeHead(200, this.extraHeaders ? { ...this.extraHeaders, ...SSE_HEADERS } : SSE_HEADERS);
    this.res.flushHeaders();
    // Comment lines keep idle intermediaries from closing long-lived streams.
    this.timer = setInterval(() => { if (!this.closed) this.res.write(':\n\n'); }, KEEPALIVE_MS);
    this.timer.unref();
    this.res.once('close', () => this.stopKeepalive());
  }

  private stopKeepalive(): void {
    if (this.timer) { clearInterval(this.timer); this.timer = undefined; }
  }
}

/**
 * Status, headers, `Content-Type: application/json` and the body in one `end`. The headers
 * set earlier (security, request id) stay; Node adds Content-Length from the single chunk.
 */
function writeJson(res: ServerResponse, status: number, text: string, headers?: Readonly<Record<string, string>>): void {
  res.statusCode = status;
  if (headers) for (const k in headers) addHeader(res, k, headers[k]!);
  addHeaders(res, JSON_TYPE);
  res.end(text);
}

const JSON_TYPE = Object.freeze(['content-type', 'application/json']);

/** Write a bare JSON body with a status (errors outside the engine). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Readonly<Record<string, string>>): void {
  if (res.headersSent) { res.end(); return; }
  writeJson(res, status, JSON.stringify(body), headers);
}

/** Write an engine reply (already serialized) as a plain JSON response. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) { res.end(); return; }
  writeJson(res, reply.status, reply.body);
}

/** A JSON-RPC error body without a usable id. */
export function rpcError(code: number, message: string, id: string | number | null = null): unknown {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/** Refuse with a quota error outside the engine: 429 (per principal) or 503 (server full), naming the limit. */
export function sendQuotaRefusal(res: ServerResponse, e: QuotaExceededError, id: string | number | null = null): void {
  const headers: Record<string, string> = e.httpStatus === 503 ? { 'retry-after': '30' } : {};
  sendJson(res, e.httpStatus, { jsonrpc: '2.0', id, error: { code: e.rpcCode, message: e.message, data: e.data } }, headers);
}
