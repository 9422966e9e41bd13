/**
 * RFC 9728 Protected Resource Metadata, served at the root well-known URI and at the
 * path-suffixed one derived from the resource URI (§3.1), readable without a token, open to
 * any origin, cacheable, GET/HEAD only. The document is serialized once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProtectedResourceMetadata } from '../auth/index.js';

/** Answer a metadata request, or return false when the path is not ours. */
export function createWellKnownHandler(metadata: ProtectedResourceMetadata, paths: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const body = JSON.stringify(metadata);
  const length = String(Buffer.byteLength(body));
  const served = new Set(paths);
  return function wellKnown(req, res) {
    const path = (req.url ?? '').split('?')[0];
    if (!served.has(path)) return false;
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'MCP-Protocol-Version', 'access-control-max-age': '86400' }).end();
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end('{"error":"method_not_allowed"}');
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': length, 'cache-control': 'public, max-age=3600' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
