// OAuth 2.0 Token Exchange (RFC 8693) as a custom oidc-provider grant: the MCP server trades a
// caller's access token (audience = the MCP resource) for one aimed at a downstream API, so it
// never forwards the caller's token (MCP authorization spec: no token passthrough).
import { errors } from 'oidc-provider';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { OwnTokens } from './own-tokens.js';
import { TOKEN_EXCHANGE } from './provider-config.js';

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const PARAMS = ['audience', 'resource', 'scope', 'requested_token_type', 'subject_token', 'subject_token_type',
  'actor_token', 'actor_token_type'];

/** What the exchange accepts and issues. */
export interface TokenExchangeOptions {
  readonly tokens: OwnTokens;
  /** The MCP resource URI: subject tokens must carry it in `aud`. */
  readonly resource: string;
  /** Allowed `audience` values (the realm's bearer-only clients, e.g. downstream-api). */
  readonly audiences: readonly string[];
  readonly ttlSeconds: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Registers urn:ietf:params:oauth:grant-type:token-exchange; clients need it in grant_types. */
export function registerTokenExchange(provider: Provider, opts: TokenExchangeOptions): void {
  async function handler(ctx: KoaContextWithOIDC): Promise<void> {
    const p = ctx.oidc.params ?? {};
    const client = ctx.oidc.client!;
    // RFC 8693 §2.1: subject_token and subject_token_type are REQUIRED.
    const subjectToken = str(p.subject_token);
    if (!subjectToken) throw new errors.InvalidRequest('missing required parameter subject_token');
    if (p.subject_token_type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest('subject_token_type must be an access token');
    if (p.requested_token_type !== undefined && p.requested_token_type !== ACCESS_TOKEN_TYPE) {
      throw new errors.InvalidRequest('only access tokens can be requested');
    }
    if (p.actor_token !== undefined) throw new errors.InvalidRequest('actor_token is not supported');
    const subject = await opts.tokens.verify(subjectToken);
    const aud = subject === undefined ? [] : [subject.aud ?? []].flat();
    // The subject token must be one issued for this MCP resource (or to the requester itself).
    if (!subject || !(aud.includes(opts.resource) || aud.includes(client.clientId))) {
      throw new errors.InvalidRequest('subject_token is invalid, expired or not issued for this resource');
    }
    // RFC 8693 §2.2.2: unknown or unacceptable targets → invalid_target.
    const audience = [p.audience ?? []].flat().map(String);
    if (p.resource !== undefined) throw new errors.InvalidTarget('use audience; resource targets are not supported');
    if (audience.length !== 1 || !opts.audiences.includes(audience[0]!)) {
      throw new errors.InvalidTarget(`audience must be one of: ${opts.audiences.join(' ')}`);
    }
    // Down-scoping only: never more than the subject token carried.
    const had = String(subject.scope ?? '').split(' ').filter(Boolean);
    const asked = str(p.scope)?.split(' ');
    const scope = (asked ? had.filter((s) => asked.includes(s)) : had).join(' ');
    const accessToken = await opts.tokens.sign({
      sub: subject.sub, aud: audience[0], client_id: client.clientId, azp: client.clientId,
      ...(scope ? { scope } : {}),
      ...(subject.preferred_username !== undefined ? { preferred_username: subject.preferred_username } : {}),
      // RFC 8693 §4.1: the requesting client acts on behalf of the subject.
      act: { sub: client.clientId },
    }, opts.ttlSeconds);
    // RFC 8693 §2.2.1 response; no refresh token (realm: enableRefreshRequestedTokenType=NO).
    ctx.body = {
      access_token: accessToken, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer',
      expires_in: opts.ttlSeconds, ...(scope ? { scope } : {}),
    };
  }
  provider.registerGrantType(TOKEN_EXCHANGE, handler, PARAMS, ['audience', 'resource']);
}
