// The embedded development OAuth 2.1 / OpenID Provider: oidc-provider on loopback, preloaded
// from the Keycloak realm file. DEVELOPMENT ONLY: demo users, in-memory keys and storage.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import express from 'express';
import Provider from 'oidc-provider';
import { jwtIntrospection } from './introspection.js';
import { createInteractionRouter } from './interactions.js';
import { isLoopbackHost, isLoopbackIp } from './loopback.js';
import { createOwnTokens } from './own-tokens.js';
import { randomSecret } from './placeholders.js';
import type { EnvLookup } from './placeholders.js';
import { OIDC_SCOPES, buildProviderConfig } from './provider-config.js';
import { createCimdResolver, withCimd, type CimdOptions, type CimdResolver } from './cimd.js';
import { loadRealm } from './realm.js';
import type { RealmUser } from './realm.js';
import { registerTokenExchange } from './token-exchange.js';
import { banner } from './banner.js';
import { registrationCors } from './registration-cors.js';
import { unauthorizedClientError } from './grant-error.js';

/** An extra or replacement demo user. */
export interface DevAuthUser {
  readonly username: string;
  readonly password: string;
  /** Scopes the user may be granted, e.g. ['openid', 'mcp:tools']. */
  readonly scopes: readonly string[];
}

/** Options for createDevAuthServer. */
export interface DevAuthServerOptions {
  /** Canonical MCP resource URI (RFC 8707), e.g. http://localhost:3000/mcp: the `aud` of access tokens. */
  readonly resource: string;
  /** Loopback address to bind (default 127.0.0.1); anything else is refused. */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Issuer URL (default http://<host>:<port>); must be a loopback origin without a path. */
  readonly issuer?: string;
  /** Users added to (or replacing, by username) the realm's demo users. */
  readonly users?: readonly DevAuthUser[];
  /** Extra clients as OAuth client metadata (RFC 7591 names), auto-consented like realm clients. */
  readonly clients?: readonly Record<string, unknown>[];
  /** Realm file (default <repo>/keycloak/realm-mcp.json). */
  readonly realmFile?: string;
  /** Placeholder values for the realm file (default process.env). */
  readonly env?: EnvLookup;
  /** Client ID Metadata Document fetching (tests inject fetch and DNS lookup). */
  readonly cimd?: CimdOptions;
  /** Where the banner and errors go (default stderr). */
  readonly log?: (line: string) => void;
}

/** A running development authorization server. */
export interface DevAuthServer {
  readonly issuer: string;
  readonly port: number;
  readonly resource: string;
  /** Demo credentials in effect (passwords by username, secrets by client_id). */
  readonly credentials: { readonly passwords: Readonly<Record<string, string>>; readonly clientSecrets: Readonly<Record<string, string>> };
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

// oidc-provider's own in-memory adapter, passed explicitly so it does not print its "you MUST
// change it" warning on every start (in-memory is the point here). Deep import: a future
// version that moves it fails the start (and the tests) loudly rather than losing CIMD.
// Its `Client` model is wrapped so that URL client ids resolve as metadata documents (cimd.ts).
async function memoryAdapter(cimd: CimdResolver): Promise<{ adapter: unknown }> {
  const mod = (await import('oidc-provider/lib/adapters/memory_adapter.js')) as { createMemoryAdapter: () => (model: string) => object };
  const base = mod.createMemoryAdapter();
  return { adapter: (model: string) => (model === 'Client' ? withCimd(base(model), cimd) : base(model)) };
}

/** Starts the development authorization server; refuses non-loopback binds. */
export async function createDevAuthServer(opts: DevAuthServerOptions): Promise<DevAuthServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`dev-auth binds loopback only; refusing host ${JSON.stringify(host)}`);
  const issuerUrl = opts.issuer === undefined ? undefined : new URL(opts.issuer);
  if (issuerUrl && (!isLoopbackHost(issuerUrl.hostname) || issuerUrl.pathname !== '/' || issuerUrl.search)) {
    throw new Error(`dev-auth issuer must be a loopback origin without path, got ${opts.issuer}`);
  }
  if (!URL.canParse(opts.resource)) throw new Error(`resource must be an absolute URI, got ${opts.resource}`);
  const resource = opts.resource;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const realm = loadRealm(opts.realmFile, opts.env ?? process.env);
  const users = new Map<string, RealmUser>(realm.users);
  for (const u of opts.users ?? []) {
    users.set(u.username, { username: u.username, password: u.password, scopes: new Set(u.scopes),
      claims: { preferred_username: u.username } });
  }

  // Bind first: with port 0 the issuer (and so the provider) depends on the port we get.
  let handler: express.Express | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  const requestedPort = opts.port ?? (issuerUrl?.port ? Number(issuerUrl.port) : 0);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const issuer = issuerUrl ? issuerUrl.origin : `http://${urlHost}:${port}`;

  try {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig' };
    const signingJwk = { ...jwk, kid: await calculateJwkThumbprint(jwk) };
    const provider = new Provider(issuer, {
      ...buildProviderConfig({ realm, users, resource, signingJwk, cookieKey: randomSecret(), extraClients: opts.clients ?? [] }),
      ...(await memoryAdapter(createCimdResolver({ allowedScopes: realm.dcrScopes, oidcScopes: OIDC_SCOPES }, opts.cimd))),
    });
    const tokens = await createOwnTokens(issuer, signingJwk);
    registerTokenExchange(provider, {
      tokens, resource, ttlSeconds: realm.ttl.accessToken,
      audiences: realm.clients.filter((c) => c.bearerOnly).map((c) => c.clientId),
    });
    // Anonymous registration only from loopback senders (realm: Trusted Hosts policy).
    provider.use(async (ctx, next) => {
      if (ctx.path === '/reg' && ctx.method === 'POST' && !isLoopbackIp(ctx.ip)) {
        ctx.status = 403;
        ctx.body = { error: 'access_denied', error_description: 'registration is open to loopback senders only' };
        return;
      }
      await next();
    });
    provider.use(jwtIntrospection(tokens));
    provider.use(unauthorizedClientError());
    provider.on('server_error', (_ctx, err) => log(`dev-auth: server error: ${(err as Error)?.stack ?? String(err)}`));

    const known = new Set([...realm.clients.map((c) => c.clientId), ...(opts.clients ?? []).map((c) => String(c.client_id))]);
    const app = express();
    app.disable('x-powered-by');
    app.use(registrationCors('/reg'));
    app.use('/interaction', createInteractionRouter({
      provider, users, resource, mcpScopes: realm.mcpScopes, autoConsent: (id) => known.has(id),
    }));
    app.use(provider.callback());
    handler = app;
  } catch (err) {
    server.close();
    throw err;
  }

  const passwords = Object.fromEntries([...users.values()].map((u) => [u.username, u.password]));
  const clientSecrets = Object.fromEntries(realm.clients.filter((c) => c.secret !== undefined).map((c) => [c.clientId, c.secret!]));
  for (const line of banner({ issuer, resource, passwords, clientSecrets, generated: realm.generated })) log(line);

  return {
    issuer, port, resource, credentials: { passwords, clientSecrets },
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
