/**
 * The running appliance as the host sees it, on the README's URLs: the MCP endpoint on
 * localhost:3000 and Keycloak on localhost:8080, with the passwords and secrets compose
 * resolved from .env. Keycloak is presented as a KeycloakInstance so the integration suite's
 * helpers (code flow through the login form, client credentials) drive it unchanged.
 */
import type { KeycloakInstance } from '../../integration/keycloak/keycloak-harness.js';
import type { Stack } from './stack.js';

/** What the journeys need. */
export interface Appliance {
  stack: Stack;
  /** http://localhost:3000/mcp: MCP_RESOURCE_URI, the URL the README gives clients. */
  mcpUrl: string;
  /** http://localhost:3000 */
  mcpOrigin: string;
  kc: KeycloakInstance;
}

const need = (env: Record<string, string>, name: string): string => {
  const v = env[name];
  if (!v) throw new Error(`docker compose config: keycloak has no ${name} (is it in .env.example?)`);
  return v;
};

/** Reads the resolved configuration of the stack (as compose passes it to the containers). */
export async function appliance(stack: Stack): Promise<Appliance> {
  const kcEnv = await stack.environment('keycloak');
  const mcpEnv = await stack.environment('mcp-server');
  const issuer = need(mcpEnv, 'MCP_AUTH_ISSUERS');
  const baseUrl = need(kcEnv, 'KC_HOSTNAME');
  const mcpUrl = need(mcpEnv, 'MCP_RESOURCE_URI');
  const credentials = {
    users: { alice: need(kcEnv, 'MCP_DEMO_ALICE_PASSWORD'), bob: need(kcEnv, 'MCP_DEMO_BOB_PASSWORD'), admin: need(kcEnv, 'MCP_DEMO_ADMIN_PASSWORD') },
    m2mClientSecret: need(kcEnv, 'MCP_M2M_CLIENT_SECRET'),
    m2mDpopClientSecret: need(kcEnv, 'MCP_M2M_DPOP_CLIENT_SECRET'),
    serverClientSecret: need(kcEnv, 'MCP_SERVER_CLIENT_SECRET'),
    bootstrapAdminUsername: need(kcEnv, 'KC_BOOTSTRAP_ADMIN_USERNAME'),
    bootstrapAdminPassword: need(kcEnv, 'KC_BOOTSTRAP_ADMIN_PASSWORD'),
  };
  const kc: KeycloakInstance = {
    issuer,
    baseUrl,
    realm: new URL(issuer).pathname.split('/').pop()!,
    resourceUri: need(kcEnv, 'MCP_RESOURCE_URI'),
    mode: 'docker',
    credentials,
    async adminToken() {
      const res = await fetch(`${baseUrl}/realms/master/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: credentials.bootstrapAdminUsername, password: credentials.bootstrapAdminPassword }),
      });
      if (!res.ok) throw new Error(`bootstrap admin token: ${res.status}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    // The stack is taken down by the test itself (docker compose down -v).
    stop: async () => {},
  };
  return { stack, mcpUrl, mcpOrigin: new URL(mcpUrl).origin, kc };
}
