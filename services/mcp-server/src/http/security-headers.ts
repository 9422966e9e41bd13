/**
 * The security headers every response carries. helmet stays the source of truth: it is run
 * once, at creation, against a recording response, and the MCP path adds the recorded
 * names and values as one constant list (no middleware chain, no setHeader per header). The other
 * routes keep helmet itself, so both sets come from the same configuration.
 */
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { addHeaders } from './response-headers.js';

/** helmet configured for a JSON/SSE API: nothing may load, frame or be framed. */
export function createHelmet(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
  }) as unknown as RequestHandler;
}

/** The headers a middleware sets, in order, recorded from one run against a fake response. */
export function recordHeaders(middleware: RequestHandler): readonly (readonly [string, string])[] {
  const set: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: unknown) { set.push([name, String(value)]); return recorder; },
    removeHeader() { /* helmet drops X-Powered-By: nothing on our fast path sets it */ },
    getHeader() { return undefined; },
  };
  let called = false;
  void middleware({ headers: {}, method: 'GET', url: '/' } as never, recorder as never, () => { called = true; });
  // helmet answers synchronously; anything else could not be replayed as a constant.
  if (!called) throw new Error('security header middleware did not finish synchronously');
  return Object.freeze(set.map(([k, v]) => Object.freeze([k, v] as const)));
}

/** Precomputed header names and values, applied with one loop. */
export interface SecurityHeaders {
  /** Set every header (and `Cache-Control: no-store`) on a response not yet started. */
  apply(res: ServerResponse): void;
  /** The recorded pairs, for tests and documentation. */
  readonly pairs: readonly (readonly [string, string])[];
}

/** Build the replayable set from helmet's output plus no-store. */
export function createSecurityHeaders(middleware: RequestHandler = createHelmet()): SecurityHeaders {
  const pairs = recordHeaders(middleware);
  // Responses carry per-user data and the effects of tokens: never cache them.
  const flat = Object.freeze([...pairs, ['cache-control', 'no-store'] as const].flatMap(([k, v]) => [k.toLowerCase(), v]));
  return {
    pairs,
    // One shared constant: a HeadResponse keeps it as is until a header is added (response-headers.ts).
    apply(res) { addHeaders(res, flat); },
  };
}
