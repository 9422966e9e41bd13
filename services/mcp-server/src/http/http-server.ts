/**
 * The node:http server with limits for slow and greedy clients. Node's defaults let one
 * client hold a socket for 300 s by sending its body at 1 byte/s, and accept connections
 * without bound. Defaults (config.ts) are chosen so that an honest client on a slow mobile
 * link survives — 20 s for the headers (one round trip in practice), 60 s for a whole request
 * (a 4 MiB body at ~70 KB/s; MCP requests are usually a few KB) — and a slowloris does not.
 * Long-lived responses (SSE) are unaffected: these timers stop once the request is received.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { HeadResponse } from './response-headers.js';
import type { Config } from '../config/config.js';

/** Limits of the HTTP server. */
export interface HttpServerLimits {
  /** Time to receive the complete request headers (ms). */
  headersTimeoutMs: number;
  /** Time to receive the complete request, body included (ms). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (ms). */
  keepAliveTimeoutMs: number;
  /** Open connections; further ones are closed as soon as they are accepted. */
  maxConnections: number;
}

/** The limits as configured (MCP_HEADERS_TIMEOUT_MS and friends). */
export function httpLimitsFromConfig(c: Config): HttpServerLimits {
  return {
    headersTimeoutMs: c.MCP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: c.MCP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: c.MCP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: c.MCP_MAX_CONNECTIONS,
  };
}

/** Create (not start) a server for `handler` with the given limits. */
export function createHttpServer(handler: RequestListener, limits: HttpServerLimits): Server {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = limits;
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v <= 0) throw new TypeError(`HTTP server limit ${k} must be a positive integer, got ${v}`);
  }
  // Node checks the two request timers on an interval (default 30 s), so the effective
  // timeout is up to one interval late; check often enough for the shorter one to mean it.
  const connectionsCheckingInterval = Math.max(100, Math.min(5_000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)));
  const server = createServer({
    // Headers added on the MCP path go out as one flat list (response-headers.ts).
    ServerResponse: HeadResponse,
    // Node requires headersTimeout <= requestTimeout.
    headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval,
  }, handler);
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.maxConnections = maxConnections;
  return server;
}
