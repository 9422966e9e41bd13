/**
 * RFC 9728 Protected Resource Metadata, served at the root well-known URI and at the
 * path-suffixed one derived from the resource URI (§3.1), readable without a token, open to
 * any origin, cacheable, GET/HEAD only. The document is serialized once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProtectedResourceMetadata } from '../auth/index.js';

/** Named when the preflight names no headers (or a list we will not echo). */
const DEFAULT_ALLOW_HEADERS = 'Accept, Authorization, Cache-Control, Content-Type, MCP-Protocol-Version';
const NOT_ALLOWED = Object.freeze({ allow: 'GET, HEAD', 'content-type': 'application/json' });
/** A comma-separated list of RFC 9110 §5.6.2 tokens, bounded so an echo stays small. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+){0,31}$/;

/**
 * The document is public and carries no credentials, so a preflight may send any header:
 * browser clients differ (MCP Inspector's direct mode sends Content-Type on a GET). Echo the
 * requested names when they are well-formed (Fetch §CORS protocol: every requested name must
 * be listed; `*` would not cover Authorization), else list the common ones.
 */
function allowHeaders(requested: string | undefined): string {
  return requested !== undefined && requested.length <= 1024 && HEADER_LIST.test(requested) ? requested : DEFAULT_ALLOW_HEADERS;
}

/** Answer a metadata request, or return false when the path is not ours. */
export function createWellKnownHandler(metadata: ProtectedResourceMetadata, paths: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const body = JSON.stringify(metadata);
  const ok = Object.freeze({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'public, max-age=3600' });
  const served = new Set(paths);
  return function wellKnown(req, res) {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if (!served.has(q < 0 ? url : url.slice(0, q))) return false;
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, HEAD',
        'access-control-allow-headers': allowHeaders(req.headers['access-control-request-headers']),
        'access-control-max-age': '86400',
        vary: 'Access-Control-Request-Headers',
      }).end();
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, NOT_ALLOWED).end('{"error":"method_not_allowed"}');
      return true;
    }
    res.writeHead(200, ok);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
