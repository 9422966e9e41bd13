// OAuth 2.0 Token Exchange (RFC 8693): tools obtain a token for a downstream API instead of
// forwarding the caller's token, which the MCP authorization spec forbids ("Token
// Passthrough" — the caller's token is audience-bound to *this* server, RFC 8707).
import * as client from 'openid-client';
import { createAsClient } from './as-client.js';
import type { ClientAuthOptions } from './as-client.js';
import { AuthError, ConfigurationError } from './errors.js';
import type { FetchLike } from './fetch-json.js';
import { checkFunction, checkKnownKeys, checkNonNegative, checkPositiveInt } from './options.js';
import { tokenOf } from './principal.js';
import type { Principal } from './principal.js';
import { createTokenCache, hashToken, stringBytes } from './token-cache.js';

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
// openid-client lower-cases token_type; restore the registered spelling for Authorization headers.
const TOKEN_TYPES: Readonly<Record<string, string>> = { bearer: 'Bearer', n_a: 'N_A', dpop: 'DPoP' };

/** Options for createTokenExchanger (times in ms unless named *Seconds). */
export interface TokenExchangerOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientAuth: ClientAuthOptions;
  /** Skips discovery when set. */
  readonly tokenEndpoint?: string;
  /** Exchanged tokens are reused until this long before they expire (default 30). */
  readonly expiryMarginSeconds?: number;
  readonly cacheMaxEntries?: number;
  /** Estimated byte budget of the exchanged-token cache (default 16 MiB). */
  readonly cacheMaxBytes?: number;
  readonly timeoutMs?: number;
  readonly fetch?: FetchLike;
  /** Clock, epoch ms. */
  readonly now?: () => number;
  readonly allowInsecureHttp?: boolean;
}

/** What to ask for (RFC 8693 §2.1); at least one of audience/resource. */
export interface ExchangeRequest {
  /** Logical name of the downstream service. */
  readonly audience?: string;
  /** Absolute URI of the downstream resource (RFC 8707). */
  readonly resource?: string;
  /** Space-delimited scopes wanted downstream. */
  readonly scope?: string;
}

/** A token issued by the exchange (RFC 8693 §2.2.1). */
export interface ExchangedToken {
  readonly accessToken: string;
  /** Usually "Bearer"; "N_A" when the issued token is not an access token. */
  readonly tokenType: string;
  readonly issuedTokenType: string;
  /** Epoch seconds. */
  readonly expiresAt?: number;
  readonly scope?: string;
}

/** Performs RFC 8693 exchanges on behalf of authenticated principals. */
export interface TokenExchanger {
  /** Exchanges the principal's token for one aimed at the requested audience/resource. */
  exchange(principal: Principal, request: ExchangeRequest): Promise<ExchangedToken>;
}

const KNOWN = ['issuer', 'clientId', 'clientAuth', 'tokenEndpoint', 'expiryMarginSeconds', 'cacheMaxEntries', 'cacheMaxBytes',
  'timeoutMs', 'fetch', 'now', 'allowInsecureHttp'];

/** Estimated heap bytes of an exchanged token, for the cache's byte budget. */
const exchangedBytes = (t: ExchangedToken): number =>
  64 + stringBytes(t.accessToken) + stringBytes(t.tokenType) + stringBytes(t.issuedTokenType) + stringBytes(t.scope);

/** Creates a token exchanger with a per-(caller token, target) cache. */
export function createTokenExchanger(options: TokenExchangerOptions): TokenExchanger {
  checkKnownKeys('TokenExchangerOptions', options, KNOWN);
  const now = checkFunction('now', options.now, Date.now);
  const marginMs = checkNonNegative('expiryMarginSeconds', options.expiryMarginSeconds, 30) * 1000;
  const getConfig = createAsClient({
    issuer: options.issuer,
    clientId: options.clientId,
    clientAuth: options.clientAuth,
    ...(options.tokenEndpoint !== undefined ? { endpoints: { token_endpoint: options.tokenEndpoint } } : {}),
    fetch: checkFunction<FetchLike>('fetch', options.fetch, (u, i) => fetch(u, i)),
    timeoutMs: checkPositiveInt('timeoutMs', options.timeoutMs, 5000),
    allowInsecureHttp: options.allowInsecureHttp ?? false,
  }, 'token_endpoint');
  const cache = createTokenCache<ExchangedToken>({ maxEntries: options.cacheMaxEntries, maxBytes: options.cacheMaxBytes, sizeOf: exchangedBytes, now });

  return {
    async exchange(principal, request) {
      if (!request || (request.audience === undefined && request.resource === undefined)) {
        throw new ConfigurationError('exchange() needs an audience or a resource');
      }
      const subjectToken = tokenOf(principal);
      if (subjectToken === undefined) {
        throw new AuthError('token_exchange_failed', { reason: 'principal was not created by a verifier' });
      }
      // Keyed by the caller's token hash, never the token itself.
      const key = hashToken([hashToken(subjectToken), request.audience ?? '', request.resource ?? '',
        request.scope ?? ''].join('\n'));
      const hit = cache.getByKey(key);
      if (hit) return hit;
      const params: Record<string, string> = {
        subject_token: subjectToken, // RFC 8693 §2.1: REQUIRED
        subject_token_type: ACCESS_TOKEN_TYPE, // RFC 8693 §2.1: REQUIRED
        requested_token_type: ACCESS_TOKEN_TYPE,
        ...(request.audience !== undefined ? { audience: request.audience } : {}),
        ...(request.resource !== undefined ? { resource: request.resource } : {}),
        ...(request.scope !== undefined ? { scope: request.scope } : {}),
      };
      let response: Awaited<ReturnType<typeof client.genericGrantRequest>>;
      try {
        response = await client.genericGrantRequest(await getConfig(), GRANT_TYPE, params);
      } catch (cause) {
        // An OAuth error body (RFC 6749 §5.2) is a refusal; anything else is an outage.
        if (cause instanceof client.ResponseBodyError) {
          throw new AuthError('token_exchange_failed', { reason: `as refused: ${cause.error}`, cause });
        }
        throw new AuthError('issuer_unavailable', { reason: 'token exchange failed', cause });
      }
      const expiresIn = response.expiresIn();
      const expiresAt = expiresIn === undefined ? undefined : Math.floor(now() / 1000) + expiresIn;
      const token: ExchangedToken = Object.freeze({
        accessToken: response.access_token,
        tokenType: TOKEN_TYPES[response.token_type.toLowerCase()] ?? response.token_type,
        // RFC 8693 §2.2.1: issued_token_type is REQUIRED; tolerate ASes that omit it.
        issuedTokenType: typeof response.issued_token_type === 'string' ? response.issued_token_type : ACCESS_TOKEN_TYPE,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(response.scope !== undefined ? { scope: response.scope } : {}),
      });
      if (expiresAt !== undefined) {
        // Never reuse past the downstream token's expiry, nor past the caller's own token.
        const callerExp = principal.expiresAt === undefined ? Infinity : principal.expiresAt * 1000;
        cache.setByKey(key, token, Math.min(expiresAt * 1000 - marginMs, callerExp));
      }
      return token;
    },
  };
}
