// Reads keycloak/realm-mcp.json — the single source of truth for clients, scopes and demo
// users — so the development server cannot drift from the Keycloak realm integration tests use.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { substitutePlaceholders } from './placeholders.js';
import type { EnvLookup } from './placeholders.js';

/** A demo user and the scopes their realm roles allow. */
export interface RealmUser {
  readonly username: string;
  readonly password: string;
  readonly claims: Readonly<Record<string, string | boolean>>;
  /** Scopes this user may be granted (role-mapped scopes plus unmapped ones like openid). */
  readonly scopes: ReadonlySet<string>;
}

/** A realm client reduced to what the provider needs. */
export interface RealmClient {
  readonly clientId: string;
  readonly secret?: string;
  readonly publicClient: boolean;
  readonly bearerOnly: boolean;
  readonly standardFlow: boolean;
  readonly serviceAccount: boolean;
  readonly tokenExchange: boolean;
  readonly redirectUris: readonly string[];
  readonly webOrigins: readonly string[];
  /** Default plus optional client scopes: everything this client may ask for. */
  readonly scopes: readonly string[];
  /** For service-account clients: the scopes the service-account user's roles allow. */
  readonly serviceAccountScopes?: ReadonlySet<string>;
}

/** The parts of the realm the development server uses. */
export interface Realm {
  /** Scopes of the MCP resource (client scopes named mcp:*). */
  readonly mcpScopes: readonly string[];
  readonly users: ReadonlyMap<string, RealmUser>;
  readonly clients: readonly RealmClient[];
  /** Scopes anonymous Dynamic Client Registration may ask for (Allowed Client Scopes policy). */
  readonly dcrScopes: readonly string[];
  /** Token lifetimes in seconds, from the realm's lifespans. */
  readonly ttl: { accessToken: number; code: number; login: number; session: number };
  /** Placeholders without value or default, replaced by random secrets: NAME → value. */
  readonly generated: Readonly<Record<string, string>>;
}

/** Default location: <repo>/keycloak/realm-mcp.json, same depth from src/ and dist/. */
export const DEFAULT_REALM_FILE = fileURLToPath(new URL('../../../../keycloak/realm-mcp.json', import.meta.url));

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, d: number): number => (typeof v === 'number' && v > 0 ? v : d);

/** Loads and resolves the realm file (placeholders from `env`, like Keycloak's import). */
export function loadRealm(file: string = DEFAULT_REALM_FILE, env: EnvLookup = process.env): Realm {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const { value: r, generated } = substitutePlaceholders(raw, env);

  // Composite realm roles (default-roles-mcp → offline_access) expand transitively.
  const composites = new Map<string, string[]>();
  for (const role of arr((r.roles as Json | undefined)?.realm)) {
    composites.set(String(role.name), strs(((role.composites as Json | undefined)?.realm)));
  }
  const expand = (roles: string[]): Set<string> => {
    const out = new Set<string>();
    const stack = [...roles];
    while (stack.length) {
      const role = stack.pop()!;
      if (!out.has(role)) { out.add(role); stack.push(...(composites.get(role) ?? [])); }
    }
    return out;
  };
  // A scope with a scope mapping is granted only to holders of one of its roles; scopes
  // without one (openid, profile, email) are open to everyone, as in Keycloak.
  const mappings = new Map<string, string[]>();
  for (const m of arr(r.scopeMappings)) mappings.set(String(m.clientScope), strs(m.roles));
  const allScopes = ['openid', ...arr(r.clientScopes).map((s) => String(s.name))];
  const scopesFor = (roles: string[]): Set<string> => {
    const held = expand(roles);
    return new Set(allScopes.filter((s) => {
      const roles = mappings.get(s);
      return roles === undefined || roles.some((x) => held.has(x));
    }));
  };

  const users = new Map<string, RealmUser>();
  const serviceAccounts = new Map<string, Set<string>>();
  for (const u of arr(r.users)) {
    const roles = strs(u.realmRoles);
    const sa = str(u.serviceAccountClientId);
    if (sa !== undefined) { serviceAccounts.set(sa, scopesFor(roles)); continue; }
    const password = str(arr(u.credentials).find((c) => c.type === 'password')?.value);
    if (u.enabled === false || password === undefined) continue;
    const username = String(u.username);
    const given = str(u.firstName) ?? '';
    const family = str(u.lastName) ?? '';
    users.set(username, {
      username, password, scopes: scopesFor(roles),
      claims: {
        preferred_username: username, given_name: given, family_name: family,
        name: `${given} ${family}`.trim(), email: str(u.email) ?? '', email_verified: u.emailVerified === true,
      },
    });
  }

  const clients = arr(r.clients).filter((c) => c.enabled !== false).map((c): RealmClient => {
    const attrs = (c.attributes ?? {}) as Json;
    const clientId = String(c.clientId);
    const secret = str(c.secret);
    const sa = serviceAccounts.get(clientId);
    return {
      clientId,
      ...(secret !== undefined ? { secret } : {}),
      publicClient: c.publicClient === true,
      bearerOnly: c.bearerOnly === true,
      standardFlow: c.standardFlowEnabled === true,
      serviceAccount: c.serviceAccountsEnabled === true,
      tokenExchange: attrs['standard.token.exchange.enabled'] === 'true',
      redirectUris: strs(c.redirectUris),
      webOrigins: strs(c.webOrigins),
      scopes: [...strs(c.defaultClientScopes), ...strs(c.optionalClientScopes)],
      ...(sa !== undefined ? { serviceAccountScopes: sa } : {}),
    };
  });

  const policies = arr(((r.components ?? {}) as Json)['org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy']);
  const allowed = policies.find((p) => p.providerId === 'allowed-client-templates' && p.subType === 'anonymous');
  const dcrScopes = strs(((allowed?.config ?? {}) as Json)['allowed-client-scopes']);

  return {
    mcpScopes: allScopes.filter((s) => s.startsWith('mcp:')),
    users, clients, generated,
    dcrScopes: dcrScopes.length ? dcrScopes : ['openid', 'offline_access', ...allScopes.filter((s) => s.startsWith('mcp:'))],
    ttl: {
      accessToken: num(r.accessTokenLifespan, 300),
      code: num(r.accessCodeLifespan, 60),
      login: num(r.accessCodeLifespanLogin, 1800),
      session: num(r.ssoSessionMaxLifespan, 1800),
    },
  };
}
