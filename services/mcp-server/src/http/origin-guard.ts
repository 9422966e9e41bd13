/**
 * DNS-rebinding defence (streamable-http §Security: "Servers MUST validate the Origin header";
 * an invalid Origin gets 403). When bound to loopback, the Host header must also name a
 * loopback host, so a rebound public name cannot reach a local server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCodes } from '../mcp/protocol.js';
import { rpcError, sendJson } from './response-channel.js';

/** Options for the guard. */
export interface OriginGuardOptions {
  /** Exact origins allowed (scheme://host[:port]); `*` wildcards a port, e.g. `http://localhost:*`. */
  allowedOrigins: readonly string[];
  /** Host names (without port) allowed in the Host header; undefined disables the check. */
  allowedHosts?: readonly string[];
}

const HOST_REFUSED = Object.freeze(rpcError(ErrorCodes.InvalidRequest, 'Forbidden: Host not allowed'));
const ORIGIN_REFUSED = Object.freeze(rpcError(ErrorCodes.InvalidRequest, 'Forbidden: Origin not allowed'));

/** Loopback names for a server bound to 127.0.0.1 / ::1 / localhost. */
export const LOOPBACK_HOSTS: readonly string[] = Object.freeze(['localhost', '127.0.0.1', '[::1]']);
/** Default browser origins: any port on a loopback name. */
export const LOOPBACK_ORIGINS: readonly string[] = Object.freeze(['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*']);

/** True when a bind address only accepts connections from this machine. */
export function isLoopbackBind(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);
}

/** Compile origin patterns into a predicate. */
export function originMatcher(patterns: readonly string[]): (origin: string) => boolean {
  const exact = new Set<string>();
  const res: RegExp[] = [];
  for (const p of patterns) {
    if (p === '*') { res.push(/^/); continue; }
    if (!/^https?:\/\/[^/]+$/.test(p)) throw new TypeError(`Invalid allowed origin "${p}": use scheme://host[:port] with no path, e.g. http://localhost:6274`);
    if (p.endsWith(':*')) res.push(new RegExp(`^${p.slice(0, -2).replace(/[.[\]]/g, '\\$&')}(:\\d+)?$`));
    else exact.add(p.toLowerCase());
  }
  return (origin) => exact.has(origin.toLowerCase()) || res.some((r) => r.test(origin));
}

/** Strip the port from a Host header value. */
function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  const i = host.lastIndexOf(':');
  return (i >= 0 ? host.slice(0, i) : host).toLowerCase();
}

/** Create the guard; returns true when the request may proceed (otherwise it answered 403). */
export function createOriginGuard(opts: OriginGuardOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const originOk = originMatcher(opts.allowedOrigins);
  const hosts = opts.allowedHosts ? new Set(opts.allowedHosts.map((h) => h.toLowerCase())) : undefined;
  return function originGuard(req, res) {
    if (hosts) {
      const host = req.headers.host;
      if (typeof host !== 'string' || !hosts.has(hostName(host))) {
        sendJson(res, 403, HOST_REFUSED);
        return false;
      }
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originOk(origin)) {
      sendJson(res, 403, ORIGIN_REFUSED);
      return false;
    }
    return true;
  };
}
