// Anonymous Dynamic Client Registration (RFC 7591) policy, mirroring the realm's anonymous
// client-registration policies: MCP scopes only, code flow only, PKCE (enforced globally).
import { errors } from 'oidc-provider';
import { isLoopbackUrl } from './loopback.js';

const ALLOWED_GRANTS = new Set(['authorization_code', 'refresh_token']);

/**
 * Client metadata holding the MCP scopes a client may request. oidc-provider only accepts its
 * own (OpenID) scopes in `scope`; resource scopes are resource-server business (RFC 8707).
 */
export const MCP_SCOPES_METADATA = 'mcp_scopes';

/**
 * Rewrites or rejects registration metadata in place (oidc-provider's synchronous
 * extraClientMetadata.validator hook). `allowedScopes` = the realm's Allowed Client Scopes.
 */
export function applyDcrPolicy(metadata: Record<string, unknown>, allowedScopes: readonly string[],
  oidcScopes: readonly string[]): void {
  const requested = typeof metadata.scope === 'string' ? metadata.scope.split(' ').filter(Boolean) : [];
  const refused = requested.filter((s) => !allowedScopes.includes(s));
  if (refused.length > 0) {
    throw new errors.InvalidClientMetadata(`scope not allowed for registered clients: ${refused.join(' ')}`);
  }
  // A registered client may later be challenged for a scope it did not register with (MCP
  // step-up, 403 insufficient_scope), so it may request every allowed scope; what a user is
  // actually granted is still limited by that user's roles.
  const scopes = allowedScopes;
  metadata.scope = scopes.filter((s) => oidcScopes.includes(s)).join(' ') || undefined;
  metadata[MCP_SCOPES_METADATA] = scopes.filter((s) => !oidcScopes.includes(s)).join(' ');

  // Like Keycloak's reject-ropc/reject-implicit executors: strip what is not code flow.
  const grants = Array.isArray(metadata.grant_types) ? metadata.grant_types.filter((g) => ALLOWED_GRANTS.has(String(g))) : [];
  metadata.grant_types = grants.length ? grants : ['authorization_code', 'refresh_token'];
  if (!(metadata.grant_types as unknown[]).includes('authorization_code')) {
    throw new errors.InvalidClientMetadata('registered clients must use the authorization_code grant');
  }
  metadata.response_types = ['code'];

  // All-loopback http redirects → native app, so any port matches (RFC 8252 §7.3).
  const uris = Array.isArray(metadata.redirect_uris) ? metadata.redirect_uris.map(String) : [];
  if (uris.length > 0 && uris.every((u) => u.startsWith('http://') && isLoopbackUrl(u))) {
    metadata.application_type = 'native';
  }
}
