/**
 * The request parts DPoP needs (RFC 9449 §4.3): the method, the `DPoP` header(s), and the
 * URI the client addressed. Behind a proxy that URI is the canonical resource's origin
 * (MCP_RESOURCE_URI) or what Express derives under `trust proxy`, never the internal hop.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestCredentials } from '../auth/index.js';

/** A request as Express sees it: protocol and host honour `trust proxy`. */
type MaybeExpress = IncomingMessage & { originalUrl?: string; protocol?: string; host?: string };

/** Collect the credentials of a request; `resourceOrigin` is the origin of the canonical resource URI. */
export function requestCredentials(req: IncomingMessage, resourceOrigin: string): RequestCredentials {
  const r = req as MaybeExpress;
  // originalUrl: under a mounted router req.url has lost the mount path.
  const path = (r.originalUrl ?? r.url ?? '/').split('?')[0]!.split('#')[0]!;
  const urls = [`${resourceOrigin}${path}`];
  const host = r.host ?? r.headers.host;
  const scheme = r.protocol ?? ((r.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http');
  if (host) urls.push(`${scheme}://${host}${path}`);
  // Node joins repeated headers other than set-cookie with ", "; rawHeaders keeps each one.
  const dpop: string[] = [];
  for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) if (r.rawHeaders[i]!.toLowerCase() === 'dpop') dpop.push(r.rawHeaders[i + 1]!);
  return { authorization: r.headers.authorization, dpop, method: r.method ?? 'GET', urls };
}
