/**
 * Express-free glue between the token verifier and the MCP endpoint: turn a request into a
 * Principal, or into the RFC 6750 challenge that refuses it. Every request is authenticated
 * (MCP authorization §Token Handling: "MUST validate ... on every request"); a session id
 * never stands in for a token.
 */
import type { IncomingMessage } from 'node:http';
import { AuthError, buildChallenge, findNonHeaderToken, isAuthError, NO_CREDENTIALS, nonHeaderTokenError, type CredentialVerifier, type TokenVerifier } from '../auth/index.js';
import { requestCredentials } from './dpop-request.js';
import type { Logger } from '../logging/logger.js';
import type { Principal } from '../mcp/principal.js';
import { RefusedError, type HttpRefusal } from './endpoint-options.js';

/** Options for createBearerAuth. */
export interface BearerAuthOptions {
  verifier: TokenVerifier;
  /** Absolute URL of our RFC 9728 metadata, advertised in every challenge. */
  resourceMetadataUrl: string;
  /** Scopes a client should ask for when it has no token (RFC 6750 §3 `scope`). */
  defaultScopes: readonly string[];
  logger: Logger;
  /** Called once per authentication failure (for metrics; the failed-auth throttle reads RefusedError.rejectedCredentials). */
  onFailure?: (req: IncomingMessage, error: AuthError) => void;
  /** DPoP (RFC 9449) when the policy is not off: the policy-aware verifier and what challenges advertise. */
  dpop?: { credentials: CredentialVerifier; algorithms: readonly string[]; required: boolean; resourceOrigin: string };
}

/** The two hooks createApp needs. */
export interface BearerAuth {
  authenticate(req: IncomingMessage): Promise<Principal>;
  insufficientScope(required: readonly string[], req: IncomingMessage, principal?: Principal): HttpRefusal;
}

/** Create the authenticate / step-up hooks. */
export function createBearerAuth(opts: BearerAuthOptions): BearerAuth {
  const { verifier, resourceMetadataUrl, defaultScopes, logger } = opts;
  const { dpop } = opts;
  const challengeOptions = Object.freeze({
    resourceMetadataUrl, scope: defaultScopes.join(' '),
    ...(dpop ? { dpop: { algorithms: dpop.algorithms, required: dpop.required } } : {}),
  });

  function refuse(req: IncomingMessage, err: AuthError | typeof NO_CREDENTIALS): never {
    if (err !== NO_CREDENTIALS) {
      opts.onFailure?.(req, err);
      // The reason is for operators; the token itself never reaches a log line.
      // originalUrl: under Express the mounted router has already cut the mount path from req.url.
      const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
      logger.warn('authentication failed', { code: err.code, reason: err.reason, path: url?.split('?')[0]?.slice(0, 256) });
    }
    const c = buildChallenge(err, challengeOptions);
    // Only a 401 for credentials that were presented and rejected counts as a failed
    // authentication: not a request without any (discovery), not an AS outage (503).
    throw new RefusedError({ status: c.status, headers: { ...c.headers }, body: c.body }, err !== NO_CREDENTIALS && c.status === 401);
  }

  return {
    async authenticate(req) {
      // RFC 6750 §2.3 / MCP authorization: tokens only in the Authorization header.
      const where = findNonHeaderToken({ url: req.url });
      if (where) refuse(req, nonHeaderTokenError(where));
      const header = req.headers.authorization;
      try {
        return await (dpop ? dpop.credentials.verify(requestCredentials(req, dpop.resourceOrigin)) : verifier.verify(header));
      } catch (e) {
        if (isAuthError(e)) refuse(req, e.code === 'no_credentials' ? NO_CREDENTIALS : e);
        throw e;
      }
    },
    insufficientScope(required, _req, principal) {
      // MCP 2025-11-25 §Scope Challenge Handling: name the scopes this operation needs. Our
      // rule is any-of, so the first alternative is asked for, together with what the token
      // already holds, so a client that replaces rather than merges scopes loses nothing.
      const wanted = new Set(principal ? principal.scopes : []);
      if (required.length > 0) wanted.add(required[0]);
      const c = buildChallenge(errorFor([...wanted]), challengeOptions);
      return { status: c.status, headers: { ...c.headers }, body: c.body };
    },
  };
}

function errorFor(scopes: string[]): AuthError {
  return new AuthError('insufficient_scope', { reason: 'missing scope', requiredScopes: scopes });
}
