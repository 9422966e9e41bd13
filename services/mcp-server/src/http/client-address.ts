/**
 * What Express derives under `trust proxy` (the client address, the scheme and host the client
 * addressed), computed for a plain IncomingMessage on the fast MCP path. The trust function is
 * Express's own compiled one (`app.get('trust proxy fn')`), and the walk over X-Forwarded-For
 * is proxy-addr's, so both mounts key the failed-auth throttle and build DPoP `htu` alike
 * (docs/security.md).
 */
import type { IncomingMessage } from 'node:http';

/** Express's compiled `trust proxy` predicate: is the hop at `i` a trusted proxy? */
export type TrustProxy = (address: string | undefined, i: number) => boolean;

/** The addresses of X-Forwarded-For, nearest first (proxy-addr/forwarded's parse). */
function forwardedFor(header: string): string[] {
  const list: string[] = [];
  let end = header.length;
  let start = header.length;
  for (let i = header.length - 1; i >= 0; i--) {
    const c = header.charCodeAt(i);
    if (c === 0x20) { if (start === end) start = end = i; } else if (c === 0x2c) {
      if (start !== end) list.push(header.substring(start, end));
      start = end = i;
    } else start = i;
  }
  if (start !== end) list.push(header.substring(start, end));
  return list;
}

/** The client address as Express's `req.ip`: the first untrusted hop, nearest first. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string | undefined {
  const socketAddress = req.socket?.remoteAddress;
  if (!trust(socketAddress, 0)) return socketAddress;
  const xff = req.headers['x-forwarded-for'];
  const addrs = [socketAddress, ...forwardedFor(typeof xff === 'string' ? xff : '')];
  for (let i = 0; i < addrs.length - 1; i++) if (!trust(addrs[i], i)) return addrs[i];
  return addrs[addrs.length - 1];
}

/** A request as dpop-request.ts reads it when Express has decorated it. */
type Decorated = IncomingMessage & { protocol?: string; host?: string };

/**
 * When the socket is a trusted proxy, record Express's `req.protocol` and `req.host` on the
 * request (X-Forwarded-Proto/-Host); otherwise leave them unset, and readers fall back to the
 * socket and the Host header, which is what Express answers then.
 */
export function decorateForwarded(req: IncomingMessage, trust: TrustProxy): void {
  if (!trust(req.socket?.remoteAddress, 0)) return;
  const r = req as Decorated;
  const own = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const proto = req.headers['x-forwarded-proto'];
  const header = (typeof proto === 'string' && proto) || own;
  const comma = header.indexOf(',');
  r.protocol = comma !== -1 ? header.substring(0, comma).trim() : header.trim();
  const fwdHost = req.headers['x-forwarded-host'];
  let host: string | undefined;
  if (typeof fwdHost !== 'string' || !fwdHost) host = req.headers.host;
  else host = fwdHost.indexOf(',') !== -1 ? fwdHost.substring(0, fwdHost.indexOf(',')).trimEnd() : fwdHost;
  r.host = host || undefined;
}
