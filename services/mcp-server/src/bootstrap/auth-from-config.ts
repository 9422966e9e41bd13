/**
 * Build the OAuth resource-server pieces from configuration: the token verifier, the RFC 9728
 * document, the bearer hooks for the HTTP app, and RFC 8693 token exchange for tools.
 */
import {
  buildProtectedResourceMetadata, createTokenExchanger, createTokenVerifier, protectedResourceMetadataUrl, tokenOf,
  type ProtectedResourceMetadata, type TokenVerifier,
} from '../auth/index.js';
import type { Config } from '../config/config.js';
import { createBearerAuth, type BearerAuth } from '../http/bearer-auth.js';
import type { Logger } from '../logging/logger.js';
import type { TokenExchangeFn } from '../mcp/context.js';
import { ToolError } from '../mcp/errors.js';
import type { StateStore } from '../state/store.js';
import { dpopFromConfig } from './dpop-from-config.js';
import { metrics } from '../observability/sink.js';

/** Everything the server needs from the auth layer. */
export interface AuthSetup {
  verifier: TokenVerifier;
  metadata: ProtectedResourceMetadata;
  bearer: BearerAuth;
  exchangeToken?: TokenExchangeFn;
}

/** Where tokens come from: the configured issuers, or the development authorization server. */
export interface AuthSource {
  resource: string;
  issuers: readonly string[];
  /** Scopes tools, prompts and resources declare (default `scopes_supported`). */
  declaredScopes: readonly string[];
  /** The server's own client at the AS, overriding the configured one (development AS). */
  serverClient?: { id: string; secret: string };
}

/** Create the auth setup for the given source. */
export function authFromConfig(config: Config, source: AuthSource, logger: Logger, store?: StateStore): AuthSetup {
  const { resource, issuers, declaredScopes } = source;
  const insecure = config.MCP_ALLOW_INSECURE_HTTP;
  const audiences = config.MCP_AUDIENCES ?? [resource];
  const clientId = source.serverClient?.id ?? config.MCP_INTROSPECTION_CLIENT_ID;
  const clientSecret = source.serverClient?.secret ?? config.MCP_INTROSPECTION_CLIENT_SECRET;
  const introspectionClient = clientId && clientSecret
    ? { clientId, clientAuth: { method: config.MCP_INTROSPECTION_AUTH_METHOD, clientSecret } as const }
    : undefined;
  // Endpoint overrides apply to the first issuer: its URL may name a host the server itself
  // cannot reach (localhost inside a container), while tokens must still carry that issuer.
  // RFC 9068 `scope` strings only, unless an issuer is named as one that writes `scp`.
  const scp = new Set(config.MCP_AUTH_SCP_ISSUERS ?? []);
  const jwtIssuers = issuers.map((issuer, i) => ({
    issuer, scpClaim: scp.has(issuer), ...(i === 0 && config.MCP_AUTH_JWKS_URI ? { jwksUri: config.MCP_AUTH_JWKS_URI } : {}),
  }));
  const verifier = createTokenVerifier({
    mode: config.MCP_TOKEN_MODE,
    resource,
    audiences,
    maxTokenBytes: config.MCP_MAX_TOKEN_BYTES,
    allowInsecureHttp: insecure,
    ...(config.MCP_TOKEN_MODE !== 'introspection' ? { jwt: {
          issuers: jwtIssuers, clockToleranceSeconds: config.MCP_CLOCK_TOLERANCE_SECONDS,
          jwksCooldownMs: config.MCP_JWKS_COOLDOWN_MS, jwksMaxAgeMs: config.MCP_JWKS_MAX_AGE_MS,
        } } : {}),
    ...(config.MCP_TOKEN_MODE !== 'jwt' && introspectionClient
      ? { introspection: {
          issuer: issuers[0], ...introspectionClient, clockToleranceSeconds: config.MCP_CLOCK_TOLERANCE_SECONDS,
          positiveTtlMs: config.MCP_INTROSPECTION_CACHE_TTL_MS, scpClaim: scp.has(issuers[0]),
          ...(config.MCP_INTROSPECTION_ENDPOINT ? { introspectionEndpoint: config.MCP_INTROSPECTION_ENDPOINT } : {}),
        } }
      : {}),
  });
  // RFC 9449: DPoP proofs, their jti replay cache in the shared store, and the §7.2 policy.
  const dpop = dpopFromConfig(config, verifier, resource, store);
  const scopesSupported = config.MCP_SCOPES_SUPPORTED ?? declaredScopes;
  const metadata = buildProtectedResourceMetadata({
    resource,
    authorizationServers: issuers,
    scopesSupported,
    resourceName: config.MCP_RESOURCE_NAME,
    ...(config.MCP_RESOURCE_DOCUMENTATION ? { resourceDocumentation: config.MCP_RESOURCE_DOCUMENTATION } : {}),
    allowInsecureHttp: insecure,
    ...(dpop ? { dpop: { algorithms: dpop.algorithms, required: dpop.required } } : {}),
  });
  const bearer = createBearerAuth({
    verifier,
    resourceMetadataUrl: protectedResourceMetadataUrl(resource),
    // RFC 6750 §3: the 401 asks for the everyday scopes; privileged ones come by step-up (403).
    defaultScopes: config.MCP_CHALLENGE_SCOPES.filter((sc) => scopesSupported.includes(sc)),
    logger,
    ...(dpop ? { dpop } : {}),
    onFailure: (_req, e) => metrics.authFailure(e.code),
  });
  const exchangeClientId = config.MCP_TOKEN_EXCHANGE_CLIENT_ID ?? introspectionClient?.clientId;
  const exchangeSecret = config.MCP_TOKEN_EXCHANGE_CLIENT_SECRET ?? clientSecret;
  let exchangeToken: TokenExchangeFn | undefined;
  if (exchangeClientId && exchangeSecret) {
    const exchanger = createTokenExchanger({
      issuer: issuers[0], clientId: exchangeClientId, clientAuth: { method: 'client_secret_basic', clientSecret: exchangeSecret }, allowInsecureHttp: insecure,
      ...(config.MCP_TOKEN_ENDPOINT ? { tokenEndpoint: config.MCP_TOKEN_ENDPOINT } : {}),
    });
    exchangeToken = async (principal, request) => {
      if (!tokenOf(principal)) throw new ToolError('Token exchange needs a caller authenticated with an access token');
      return exchanger.exchange(principal, request);
    };
  }
  return { verifier, metadata, bearer, exchangeToken };
}
