// Token introspection (RFC 7662) for JWT access tokens. oidc-provider refuses structured tokens
// at its introspection endpoint (unsupported_token_type) *after* authenticating the client;
// this post-middleware answers those requests by verifying the JWT itself, like Keycloak does.
import type { Middleware } from 'oidc-provider';
import type { OwnTokens } from './own-tokens.js';

/** Koa middleware that completes introspection of this server's JWT access tokens. */
export function jwtIntrospection(tokens: OwnTokens): Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: unknown } | undefined;
    if (ctx.oidc?.route !== 'introspection' || ctx.status !== 400 || body?.error !== 'unsupported_token_type') return;
    const client = ctx.oidc.client;
    // Same policy as for opaque tokens: authenticated (confidential) clients only.
    if (!client || client.clientAuthMethod === 'none') return;
    const payload = await tokens.verify(String(ctx.oidc.params?.token ?? ''));
    ctx.status = 200;
    // RFC 7662 §2.2: inactive tokens reveal nothing else.
    ctx.body = payload
      ? { ...payload, active: true, token_type: 'Bearer',
        ...(typeof payload.preferred_username === 'string' ? { username: payload.preferred_username } : {}) }
      : { active: false };
  };
}
