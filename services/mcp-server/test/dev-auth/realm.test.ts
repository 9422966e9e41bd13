import { describe, expect, it } from '@jest/globals';
import { loadRealm } from '../../src/dev-auth/index.js';
import { substitutePlaceholders } from '../../src/dev-auth/placeholders.js';
import { ENV } from './flow.js';

describe('Keycloak-style placeholders', () => {
  it('resolves env, defaults, alternatives and leaves templates alone', () => {
    const { value, generated } = substitutePlaceholders({
      a: '${A}', b: '${B:dflt}', c: ['${env.A}-${X,A}'], d: 'resource_access.${client_id}.roles', e: '${MISSING}', f: '${MISSING}',
    }, { A: 'aa' });
    expect(value).toMatchObject({ a: 'aa', b: 'dflt', c: ['aa-aa'], d: 'resource_access.${client_id}.roles' });
    expect(value.e).toBe(generated.MISSING);
    expect(value.f).toBe(value.e); // one value per name
    expect(generated.MISSING).toMatch(/^[A-Za-z0-9]{20,}$/);
  });
});

describe('loadRealm (keycloak/realm-mcp.json)', () => {
  const realm = loadRealm(undefined, { ...ENV, MCP_RESOURCE_URI: 'http://localhost:9/mcp' });

  it('reads the MCP scopes and role-mapped user scopes', () => {
    expect([...realm.mcpScopes].sort()).toEqual(['mcp:admin', 'mcp:private', 'mcp:prompts', 'mcp:resources', 'mcp:tools']);
    const mcp = (u: string) => [...realm.users.get(u)!.scopes].filter((s) => s.startsWith('mcp:')).sort();
    expect(mcp('alice')).toEqual(['mcp:prompts', 'mcp:tools']);
    expect(mcp('bob')).toEqual(['mcp:tools']);
    expect(mcp('admin')).toEqual(['mcp:admin', 'mcp:private', 'mcp:prompts', 'mcp:resources', 'mcp:tools']);
    expect(realm.users.get('alice')!.scopes.has('offline_access')).toBe(true); // via default-roles-mcp
    expect(realm.users.get('alice')!.password).toBe(ENV.MCP_DEMO_ALICE_PASSWORD);
    expect(realm.users.has('service-account-mcp-m2m')).toBe(false);
  });

  it('reads the clients', () => {
    const c = Object.fromEntries(realm.clients.map((x) => [x.clientId, x]));
    expect(c['mcp-inspector']).toMatchObject({ publicClient: true, standardFlow: true });
    expect(c['mcp-inspector']!.redirectUris).toContain('http://localhost:6274/oauth/callback/debug');
    expect(c['mcp-m2m']).toMatchObject({ secret: ENV.MCP_M2M_CLIENT_SECRET, serviceAccount: true });
    expect([...c['mcp-m2m']!.serviceAccountScopes!].filter((s) => s.startsWith('mcp:')).sort()).toEqual(['mcp:prompts', 'mcp:resources', 'mcp:tools']);
    expect(c['mcp-server']).toMatchObject({ secret: ENV.MCP_SERVER_CLIENT_SECRET, tokenExchange: true });
    expect(c['downstream-api']).toMatchObject({ bearerOnly: true });
    expect(realm.ttl).toEqual({ accessToken: 300, code: 60, login: 1800, session: 1800 });
    expect(realm.dcrScopes).toContain('mcp:tools');
    expect(realm.dcrScopes).not.toContain('downstream-api');
  });
});
