// CORS for the registration endpoint: oidc-provider has none there, but browser-based MCP
// clients (MCP Inspector at http://localhost:6274) register from page JavaScript. Loopback
// origins only, like the realm's "Allowed Registration Web Origins" policy.
import type { NextFunction, Request, Response } from 'express';
import { isLoopbackUrl } from './loopback.js';

/** Express middleware answering CORS (and preflight) for `path` from loopback origins. */
export function registrationCors(path: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (req.path !== path || origin === undefined || !isLoopbackUrl(origin)) { next(); return; }
    res.vary('Origin');
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method !== 'OPTIONS') { next(); return; }
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
