/**
 * Integration support: the development authorization server (oidc-provider) and our MCP
 * server (src/main.ts) as separate processes on loopback, a browser stand-in that signs in
 * on the AS login form, and an OAuthClientProvider for the official SDK clients.
 */
import { cookieFetch as browser } from '../../scripts/lib/cookie-jar.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { lifespan, prompts, resources, templates, tools } from '../../services/mcp-server/src/catalog.js';
import { authFromConfig, type AuthSetup } from '../../services/mcp-server/src/bootstrap/auth-from-config.js';
import { startHttp, type RunningHttp } from '../../services/mcp-server/src/bootstrap/start-http.js';
import { loadConfig } from '../../services/mcp-server/src/config/config.js';
import { silentLogger } from '../../services/mcp-server/src/logging/logger.js';
import { createMcpServer, type McpServerOptions } from '../../services/mcp-server/src/server.js';

export { freePort } from '../../services/mcp-server/test/bootstrap/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;

/** Fixed demo credentials, handed to the AS through its realm placeholders. */
export const CREDENTIALS = {
  MCP_DEMO_ALICE_PASSWORD: 'alice-it-pw', MCP_DEMO_BOB_PASSWORD: 'bob-it-pw', MCP_DEMO_ADMIN_PASSWORD: 'admin-it-pw',
  MCP_M2M_CLIENT_SECRET: 'm2m-it-secret', MCP_SERVER_CLIENT_SECRET: 'server-it-secret',
} as const;
export const PASSWORDS = { alice: CREDENTIALS.MCP_DEMO_ALICE_PASSWORD, bob: CREDENTIALS.MCP_DEMO_BOB_PASSWORD, admin: CREDENTIALS.MCP_DEMO_ADMIN_PASSWORD } as const;

/** A child process and what it printed. */
export interface Child { proc: ChildProcess; output(): string; stop(): Promise<void> }

function start(args: string[], env: Record<string, string>, ready: (line: string) => string | undefined, what: string): Promise<{ child: Child; value: string }> {
  const proc = spawn(TSX, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const child: Child = {
    proc,
    output: () => output,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => { clearTimeout(timer); resolve(); });
      proc.kill('SIGTERM');
    }),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void child.stop(); reject(new Error(`${what} did not start in time:\n${output}`)); }, 45_000);
    const onLine = (line: string) => {
      output += `${line}\n`;
      const value = ready(line);
      if (value !== undefined) { clearTimeout(timer); resolve({ child, value }); }
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited with ${code}:\n${output}`)); });
  });
}

/** Spawn the development AS: `tsx src/dev-auth/cli.ts --port 0 --resource <resource>`. */
export async function spawnDevAs(resource: string): Promise<{ issuer: string; child: Child }> {
  const { child, value } = await start(
    ['services/mcp-server/src/dev-auth/cli.ts', '--port', '0', '--resource', resource],
    { ...CREDENTIALS },
    (line) => /^ISSUER (\S+)$/.exec(line)?.[1],
    'dev-auth',
  );
  return { issuer: value, child };
}

/** Spawn our server: `tsx src/main.ts` with the given environment; resolves on "MCP server listening". */
export async function spawnMcpServer(env: Record<string, string>): Promise<Child> {
  const { child } = await start(['services/mcp-server/src/main.ts'], { LOG_LEVEL: 'info', ...env }, (line) => {
    if (!line.startsWith('{')) return undefined;
    const entry = JSON.parse(line) as { message?: string; url?: string };
    return entry.message === 'MCP server listening' ? entry.url : undefined;
  }, 'mcp-server');
  return child;
}


/**
 * What the user does in the browser: open the authorization URL, sign in on the AS form
 * (and allow, for a registered client), and land on the redirect URI. Returns that URL.
 */
export async function signIn(authorizationUrl: URL, username: keyof typeof PASSWORDS): Promise<URL> {
  const send = browser();
  const as = authorizationUrl.origin;
  let res = await send(authorizationUrl.href);
  for (let hops = 0; hops < 12; hops += 1) {
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get('location')!, as);
      if (location.origin !== as) return location; // back at the client's redirect_uri
      res = await send(location.href);
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action || res.status === 401) throw new Error(`unexpected ${res.status} page: ${html.slice(0, 300)}`);
    const form = action.endsWith('/login') ? new URLSearchParams({ username, password: PASSWORDS[username] }) : new URLSearchParams();
    res = await send(new URL(action, as).href, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  throw new Error('too many redirects');
}

/** Redirect URI registered for mcp-inspector in the realm (loopback: any port matches). */
export const REDIRECT_URI = 'http://127.0.0.1:6274/oauth/callback';

/** Options for TestOAuthProvider. */
export interface ProviderOptions {
  /** Pre-registered client (mcp-inspector); absent = dynamic client registration. */
  clientId?: string;
  /** Issuer the pre-registered client belongs to (stamped on it, so the SDK binds it there). */
  issuer?: string;
  /** Grant types to register with (DCR only). */
  grantTypes?: string[];
  /**
   * Keep refresh tokens (default true). SDK v1 answers a 403 insufficient_scope by refreshing
   * first when it holds a refresh token, and a refresh can never widen scope (RFC 6749 §6),
   * so a v1 step-up test runs without one to reach the interactive re-authorization.
   */
  keepRefreshToken?: boolean;
}

/**
 * An in-memory OAuthClientProvider (SDK v1 interface; v2's is a superset with optional
 * additions). The redirect is recorded, not followed: the test signs in and hands the code back.
 */
export class TestOAuthProvider {
  readonly authorizationUrls: URL[] = [];
  readonly savedTokens: OAuthTokens[] = [];
  private info: OAuthClientInformationMixed | undefined;
  private current: OAuthTokens | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;

  constructor(private readonly opts: ProviderOptions = {}) {
    if (opts.clientId) this.info = { client_id: opts.clientId, ...(opts.issuer ? { issuer: opts.issuer } : {}) };
  }

  get redirectUrl(): string { return REDIRECT_URI; }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'oauth integration test', redirect_uris: [REDIRECT_URI], response_types: ['code'],
      grant_types: this.opts.grantTypes ?? ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none',
    };
  }
  state(): string { return 'it-state'; }
  clientInformation(): OAuthClientInformationMixed | undefined { return this.info; }
  saveClientInformation(info: OAuthClientInformationMixed): void { this.info = info; }
  tokens(): OAuthTokens | undefined { return this.current; }
  saveTokens(tokens: OAuthTokens): void {
    this.savedTokens.push(tokens);
    const { refresh_token: _dropped, ...rest } = tokens;
    this.current = this.opts.keepRefreshToken === false ? rest : tokens;
  }
  redirectToAuthorization(url: URL): void { this.authorizationUrls.push(url); }
  saveCodeVerifier(v: string): void { this.verifier = v; }
  saveDiscoveryState(state: OAuthDiscoveryState): void { this.discovery = state; }
  discoveryState(): OAuthDiscoveryState | undefined { return this.discovery; }
  codeVerifier(): string { return this.verifier; }
  /** The client id in use (registered or pre-registered). */
  get clientId(): string | undefined { return this.info?.client_id; }
  /** The last authorization URL the SDK wanted the user to open. */
  get lastAuthorizationUrl(): URL {
    const url = this.authorizationUrls.at(-1);
    if (!url) throw new Error('the SDK never redirected to the authorization server');
    return url;
  }
}

/** The payload of a JWT, unverified (for assertions on tokens the SDK obtained). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A user access token for `resource` through mcp-inspector: code + PKCE, signed in on the form. */
export async function userToken(issuer: string, resource: string, username: keyof typeof PASSWORDS, scope: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: 'mcp-inspector', redirect_uri: REDIRECT_URI, response_type: 'code', scope, resource, state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  }).toString();
  const code = (await signIn(url, username)).searchParams.get('code');
  if (!code) throw new Error('no authorization code');
  const res = await fetch(`${issuer}/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'mcp-inspector', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, resource }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Our server in this process, composed as main.ts composes it, configured by `env`. */
export async function startInProcess(env: Record<string, string>, resource: string, issuer: string, extraTools: NonNullable<McpServerOptions['tools']> = []): Promise<{ url: string; auth: AuthSetup; http: RunningHttp; close(): Promise<void> }> {
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', MCP_RESOURCE_URI: resource, MCP_AUTH_ISSUERS: issuer, ...env });
  const late: { auth?: AuthSetup } = {};
  const server = await createMcpServer({
    serverInfo: { name: 'mcp-resource-server', version: '0.0.0-it' },
    tools: [...tools, ...extraTools], prompts, resources, templates, lifespan, logger: silentLogger,
    exchangeToken: (principal, request) => {
      const fn = late.auth?.exchangeToken;
      return fn ? fn(principal, request) : Promise.reject(new Error('token exchange is not configured'));
    },
  });
  const auth = late.auth = authFromConfig(config, { resource, issuers: [issuer], declaredScopes: server.registry.declaredScopes() }, silentLogger);
  await auth.verifier.warmUp();
  const http = await startHttp(config, server, auth, silentLogger);
  return { url: http.url, auth, http, close: async () => { await http.close(); await server.close(); } };
}
