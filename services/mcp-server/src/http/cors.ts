/**
 * CORS for browser clients such as MCP Inspector, on allowlisted origins only. Preflights are
 * answered here; the Origin guard has already refused origins that are not allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { originMatcher } from './origin-guard.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name, Last-Event-ID, X-Request-Id, DPoP';
const EXPOSE_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version, X-Request-Id, RateLimit, RateLimit-Policy, Retry-After, DPoP-Nonce';
/** The preflight answer's own headers: the same for every preflight, so built once. */
const PREFLIGHT = Object.freeze({
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': ALLOW_HEADERS,
  'access-control-max-age': '600',
});

/** Create the CORS step; returns true when it answered (a preflight). */
export function createCors(allowedOrigins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = originMatcher(allowedOrigins);
  return function cors(req, res) {
    const origin = req.headers.origin;
    if (origin === undefined || !allowed(origin)) return false;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
    if (req.method !== 'OPTIONS') return false;
    res.writeHead(204, PREFLIGHT).end();
    return true;
  };
}
