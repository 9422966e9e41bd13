// oidc-provider configuration for the development authorization server: OAuth 2.1 defaults
// (code + PKCE S256 only), RFC 9068 JWT access tokens audience-bound via RFC 8707.
import { errors } from 'oidc-provider';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';
import { MCP_SCOPES_METADATA, applyDcrPolicy } from './dcr-policy.js';
import { isLoopbackUrl } from './loopback.js';
import type { Realm, RealmClient, RealmUser } from './realm.js';

/** RFC 8693 grant type, registered separately (token-exchange.ts). */
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** OpenID (non-resource) scopes the provider knows; everything mcp:* belongs to the resource. */
export const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email'] as const;

/** Inputs to buildProviderConfig. */
export interface ProviderConfigInput {
  readonly realm: Realm;
  readonly users: ReadonlyMap<string, RealmUser>;
  /** Canonical MCP resource URI: the only resource indicator and the `aud` of access tokens. */
  readonly resource: string;
  /** Private RS256 signing key (JWK) generated in memory. */
  readonly signingJwk: Record<string, unknown>;
  readonly cookieKey: string;
  readonly extraClients: readonly Record<string, unknown>[];
}

/** Maps a realm client onto OAuth client metadata (RFC 7591 names). */
export function clientMetadata(c: RealmClient, mcpScopes: readonly string[]): Record<string, unknown> | undefined {
  if (c.bearerOnly) return undefined; // audience-only: no credentials, nothing to register
  const grants = [
    ...(c.standardFlow ? ['authorization_code', 'refresh_token'] : []),
    ...(c.serviceAccount ? ['client_credentials'] : []),
    ...(c.tokenExchange ? [TOKEN_EXCHANGE] : []),
  ];
  const allowed = new Set<string>(['openid', ...c.scopes]);
  return {
    client_id: c.clientId,
    ...(c.publicClient ? { token_endpoint_auth_method: 'none' } : { client_secret: c.secret }),
    // Loopback redirect URIs: native app rules, so any port matches (RFC 8252 §7.3).
    ...(c.standardFlow && c.redirectUris.every(isLoopbackUrl) ? { application_type: 'native' } : {}),
    grant_types: grants,
    response_types: c.standardFlow ? ['code'] : [],
    redirect_uris: c.standardFlow ? c.redirectUris : [],
    scope: OIDC_SCOPES.filter((s) => allowed.has(s)).join(' '),
    [MCP_SCOPES_METADATA]: mcpScopes.filter((s) => allowed.has(s)).join(' '),
  };
}

/** Builds the oidc-provider configuration object. */
export function buildProviderConfig(input: ProviderConfigInput): Record<string, unknown> {
  const { realm, users, resource } = input;
  const byId = new Map(realm.clients.map((c) => [c.clientId, c]));
  const clients = [
    ...realm.clients.map((c) => clientMetadata(c, realm.mcpScopes)).filter((c) => c !== undefined),
    ...input.extraClients,
  ];
  const sameResource = (v: string): boolean => URL.canParse(v) && new URL(v).href === new URL(resource).href;
  const { ttl } = realm;

  return {
    clients,
    jwks: { keys: [input.signingJwk] },
    cookies: { keys: [input.cookieKey] },
    scopes: [...OIDC_SCOPES],
    // Client ID Metadata Documents (cimd.ts, resolved through the Client adapter).
    discovery: { client_id_metadata_document_supported: true },
    responseTypes: ['code'], // OAuth 2.1: no implicit or hybrid flows
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    async findAccount(_ctx: unknown, sub: string) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...user.claims }) };
    },
    // OAuth 2.1 §4.1.1: PKCE for every client; oidc-provider v9 only implements S256.
    pkce: { required: () => true },
    // Refresh tokens without offline_access, as Keycloak issues them; rotated on every use
    // (realm revokeRefreshToken=true; OAuth 2.1 §4.3.1).
    issueRefreshToken: async (_ctx: unknown, client: Client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    // Browser clients (Inspector) call the token and registration endpoints cross-origin.
    clientBasedCORS: (_ctx: unknown, origin: string) => isLoopbackUrl(origin),
    // Keycloak-like extra claims in JWT access tokens (RFC 9068 §2.2.3.1 allows more claims).
    extraTokenClaims: async (_ctx: unknown, token: { accountId?: string; clientId?: string }) => {
      const user = token.accountId !== undefined ? users.get(token.accountId) : undefined;
      return { azp: token.clientId, ...(user ? { preferred_username: user.username } : {}) };
    },
    extraClientMetadata: {
      properties: [MCP_SCOPES_METADATA],
      validator(ctx: KoaContextWithOIDC | undefined, key: string, _value: unknown, metadata: Record<string, unknown>) {
        if (key === MCP_SCOPES_METADATA && ctx?.oidc.route === 'registration') {
          applyDcrPolicy(metadata, realm.dcrScopes, OIDC_SCOPES);
        }
      },
    },
    ttl: {
      AccessToken: ttl.accessToken, ClientCredentials: ttl.accessToken, IdToken: ttl.accessToken,
      AuthorizationCode: ttl.code, Interaction: ttl.login, Session: ttl.session, Grant: ttl.session,
      RefreshToken: ttl.session,
    },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${String(out.error)}: ${String(out.error_description ?? '')}\n`;
    },
    features: {
      devInteractions: { enabled: false }, // replaced by interactions.ts (testable form login)
      clientCredentials: { enabled: true },
      // RFC 9449: a token request with a DPoP proof gets an access token bound to its key
      // (cnf.jkt); the AS metadata then lists dpop_signing_alg_values_supported.
      dPoP: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async (_c: unknown, client: Client) => client.clientAuthMethod !== 'none' },
      revocation: { enabled: true, allowedPolicy: async (_c: unknown, client: Client, token: { clientId: string }) => token.clientId === client.clientId },
      // Anonymous DCR (RFC 7591); the DCR policy runs in extraClientMetadata.validator.
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      // Access tokens are only for the MCP resource; no userinfo access tokens.
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // No `resource` parameter (e.g. an Inspector without RFC 8707): default to the MCP resource.
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) =>
          oneOf ? (oneOf.find(sameResource) ?? oneOf[0]) : resource,
        useGrantedResource: async () => true,
        async getResourceServerInfo(ctx: KoaContextWithOIDC, indicator: string, client: Client) {
          if (!sameResource(indicator)) throw new errors.InvalidTarget(`unknown resource; this server protects ${resource}`);
          const rc = byId.get(client.clientId);
          const clientScopes = new Set((client.mcp_scopes ?? realm.mcpScopes.join(' ')).split(' '));
          let scopes = realm.mcpScopes.filter((s) => clientScopes.has(s));
          // client_credentials acts as the service-account user: only its role-mapped scopes.
          if (ctx.oidc.params?.grant_type === 'client_credentials' && rc?.serviceAccountScopes) {
            scopes = scopes.filter((s) => rc.serviceAccountScopes!.has(s));
          }
          return {
            scope: scopes.join(' '), audience: resource, accessTokenTTL: ttl.accessToken,
            accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  };
}
