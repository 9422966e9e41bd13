// RFC 6749 §5.2: a client using a grant type it is not registered for gets
// `unauthorized_client`; oidc-provider answers `invalid_request`. Clients and tests
// written against Keycloak expect the RFC code, so rewrite that one case.
import type { Middleware } from 'oidc-provider';

const NOT_ALLOWED = 'requested grant type is not allowed for this client';

/** Koa middleware mapping the token endpoint's "grant type not allowed" to unauthorized_client. */
export function unauthorizedClientError(): Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: unknown; error_description?: unknown } | undefined;
    if (ctx.oidc?.route === 'token' && ctx.status === 400 && body?.error === 'invalid_request'
      && body.error_description === NOT_ALLOWED) {
      ctx.body = { ...body, error: 'unauthorized_client' };
    }
  };
}
