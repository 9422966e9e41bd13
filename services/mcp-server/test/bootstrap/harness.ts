/**
 * The resource server as main.ts composes it, over real OAuth: a loopback fake authorization
 * server (test/auth/support/fake-as.ts) publishes RFC 8414 metadata and a JWKS with a
 * locally generated RS256 key; configuration goes through loadConfig, the auth layer through
 * authFromConfig, HTTP through startHttp (createApp with security headers, CORS, rate limits,
 * readiness). Log lines are captured from a logger writing to an in-memory stream.
 */
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import type { JWTPayload } from 'jose';
import { lifespan, prompts, resources, templates, tools } from '../../src/catalog.js';
import { authFromConfig, type AuthSetup } from '../../src/bootstrap/auth-from-config.js';
import { startHttp, type RunningHttp } from '../../src/bootstrap/start-http.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createMcpServer, type McpServer, type McpServerOptions } from '../../src/server.js';
import { makeKey, serveIssuer, signToken, startFakeAs, type FakeAs, type TestKey } from '../auth/support/fake-as.js';

/** A free TCP port on 127.0.0.1 (the resource URI must name the port before we listen). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Options for startOAuthServer. */
export interface HarnessOptions {
  /** Extra environment for loadConfig (rate limits, sessions, ...). */
  env?: Record<string, string>;
  /** Fetch the JWKS before serving, as main.ts does (default true). */
  warm?: boolean;
  /** Extra tools next to the shipped catalogue. */
  extraTools?: NonNullable<McpServerOptions['tools']>;
}

/** A running server with its authorization server, keys and captured logs. */
export interface Harness {
  as: FakeAs;
  key: TestKey;
  /** http://127.0.0.1:port */
  origin: string;
  /** Canonical resource URI = origin + /mcp. */
  resource: string;
  auth: AuthSetup;
  server: McpServer;
  http: RunningHttp;
  /** Every log line so far, parsed. */
  logs(): Record<string, unknown>[];
  /** Raw log text so far. */
  logText(): string;
  /** Claims of a valid access token for `sub`; `over` replaces or (with undefined) removes claims. */
  claims(sub: string, over?: Record<string, unknown>): JWTPayload;
  /** A signed access token (RS256, typ at+jwt, kid of the published key). */
  token(sub: string, over?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

let jti = 0;

/** Start the fake AS and the resource server; nothing is shared between harnesses. */
export async function startOAuthServer(opts: HarnessOptions = {}): Promise<Harness> {
  const as = await startFakeAs();
  const key = await makeKey('test-key-1');
  serveIssuer(as, () => [key.jwk]);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const resource = `${origin}/mcp`;
  const config = loadConfig({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), MCP_RESOURCE_URI: resource, MCP_AUTH_ISSUERS: as.issuer,
    MCP_ALLOWED_ORIGINS: 'http://localhost:6274', MCP_STATE_SECRET: 'x'.repeat(40), LOG_LEVEL: 'info',
    ...opts.env,
  });
  let text = '';
  const stream = new PassThrough();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => { text += chunk; });
  const logger = createLogger({ level: 'info', stream });
  const late: { auth?: AuthSetup } = {}; // the auth layer needs the registry's scopes, the engine its exchange
  // As main.ts composes it: shipped catalogue, audit lines through the same logger.
  const server = await createMcpServer({
    serverInfo: { name: 'mcp-resource-server', version: '0.0.0-test' },
    tools: [...tools, ...(opts.extraTools ?? [])], prompts, resources, templates, lifespan, logger,
    secret: config.MCP_STATE_SECRET,
    exchangeToken: (principal, request) => late.auth!.exchangeToken!(principal, request),
    onAudit: (event, principal) => {
      logger.info('audit', { ...event, clientId: principal.clientId });
      server.engine.services.state.calledTools?.record(event);
    },
  });
  const auth = late.auth = authFromConfig(config, { resource, issuers: [as.issuer], declaredScopes: server.registry.declaredScopes() }, logger);
  if (opts.warm !== false) await auth.verifier.warmUp();
  const http = await startHttp(config, server, auth, logger);
  const claims = (sub: string, over: Record<string, unknown> = {}): JWTPayload => {
    const now = Math.floor(Date.now() / 1000);
    const c: Record<string, unknown> = {
      iss: as.issuer, aud: resource, sub, client_id: `${sub}-client`, scope: 'mcp:tools mcp:prompts mcp:resources',
      iat: now, exp: now + 300, jti: `jti-${++jti}`, ...over,
    };
    for (const [k, v] of Object.entries(c)) if (v === undefined) delete c[k];
    return c as JWTPayload;
  };
  return {
    as, key, origin, resource, auth, server, http,
    logText: () => text,
    logs: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    claims,
    token: (sub, over, header) => signToken(key, claims(sub, over), header),
    async close() {
      await http.close();
      await server.close();
      await as.close();
    },
  };
}
