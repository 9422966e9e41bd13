/**
 * Keycloak for integration tests: the `mcp` realm from keycloak/realm-mcp.json, started either
 *
 *  - in a container through testcontainers (keycloak-container.ts), when a Docker engine is
 *    reachable: docker/keycloak.Dockerfile built on `quay.io/keycloak/keycloak:<keycloak/VERSION>`
 *    (present locally or pullable), the image compose runs, or
 *  - from the Maven Central distribution through scripts/keycloak/start.sh (no Docker; needs a
 *    JDK and Maven, see docs/keycloak.md).
 *
 * Every start gets fresh random demo passwords and client secrets (returned in `credentials`)
 * and an in-memory database, so instances never share state. Start Keycloak once per test file
 * (beforeAll/afterAll) and run such files serially: each start costs ~20-45 s of CPU.
 *
 * Choose the path with `mode` or KEYCLOAK_HARNESS_MODE=auto|docker|local (default auto). In
 * `auto`, a container that cannot start (say the image is missing and no registry answers)
 * falls back to the local distribution with one line on stderr saying why; in `docker` that
 * line is the error.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bridgeGateway, containerFailure, dockerReachable, engineEndpoint, KeycloakContainerError, startKeycloakContainer, type ContainerStarter,
} from './keycloak-container.js';

export { dockerReachable, KeycloakContainerError } from './keycloak-container.js';

export const REALM = 'mcp';
export const DEFAULT_RESOURCE_URI = 'http://localhost:3000/mcp';

export interface StartKeycloakOptions {
  /** 'auto' (default): a container when an engine answers and it starts, else local. */
  mode?: 'auto' | 'docker' | 'local';
  /** Docker path: the upstream image docker/keycloak.Dockerfile builds on; default quay.io/keycloak/keycloak:<keycloak/VERSION>. */
  image?: string;
  /** Host port for HTTP; default: a free port. The issuer is http://localhost:<port>/realms/mcp. */
  port?: number;
  /** Host port of the management interface (health) in local mode; default: a free port. */
  managementPort?: number;
  /** The MCP resource URI put into `aud` by the MCP scopes (MCP_RESOURCE_URI). */
  resourceUri?: string;
  /** How long to wait for /health/ready. Default 240 s (the first local start also builds). */
  startTimeoutMs?: number;
  /** Extra environment for Keycloak, e.g. KC_FEATURES or the MCP_DCR_* realm placeholders. */
  env?: Record<string, string>;
  /**
   * Passwords and secrets to start with (default: fresh random ones). Pass an earlier
   * instance's `credentials` (and `port`) to restart "the same" Keycloak after stop(): the
   * in-memory database is new, so keys, sessions and registered clients are not kept.
   */
  credentials?: KeycloakCredentials;
}

/** Secrets this instance was started with (fresh random values per start). */
export interface KeycloakCredentials {
  readonly users: Readonly<Record<'alice' | 'bob' | 'admin', string>>;
  readonly m2mClientSecret: string;
  /** mcp-m2m-dpop: client credentials with DPoP-bound access tokens. */
  readonly m2mDpopClientSecret: string;
  readonly serverClientSecret: string;
  readonly bootstrapAdminUsername: string;
  readonly bootstrapAdminPassword: string;
}

export interface KeycloakInstance {
  /** http://localhost:<port>/realms/mcp */
  readonly issuer: string;
  /** http://localhost:<port> */
  readonly baseUrl: string;
  readonly realm: string;
  readonly resourceUri: string;
  readonly mode: 'docker' | 'local';
  readonly credentials: KeycloakCredentials;
  /** Local mode: the env file written by start.sh (input for scripts/keycloak/verify.sh). */
  readonly envFile?: string;
  /** A master-realm admin access token (bootstrap admin via admin-cli), cached until near expiry. */
  adminToken(): Promise<string>;
  /** Stops Keycloak; safe to call more than once. */
  stop(): Promise<void>;
}

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** What startKeycloak uses to reach the outside world; tests replace parts of it. */
export interface HarnessDeps {
  dockerReachable(): Promise<boolean>;
  startContainer: ContainerStarter;
  startLocal(opts: StartKeycloakOptions): Promise<KeycloakInstance>;
  /** Where the one-line reason for an `auto` fallback goes (default: stderr). */
  warn(line: string): void;
}

const realDeps: HarnessDeps = {
  dockerReachable,
  startContainer: startKeycloakContainer,
  startLocal,
  // Straight to stderr: shown even under jest --silent.
  warn: (line) => process.stderr.write(`${line}\n`),
};

/** Starts Keycloak with the `mcp` realm imported. */
export async function startKeycloak(opts: StartKeycloakOptions = {}, deps: Partial<HarnessDeps> = {}): Promise<KeycloakInstance> {
  const d: HarnessDeps = { ...realDeps, ...deps };
  const mode = opts.mode ?? parseMode(process.env.KEYCLOAK_HARNESS_MODE);
  if (mode === 'local') return d.startLocal(opts);
  const image = opts.image ?? `quay.io/keycloak/keycloak:${await readVersion()}`;
  if (!(await d.dockerReachable())) {
    if (mode === 'docker') throw new KeycloakContainerError(image, `KEYCLOAK_HARNESS_MODE=docker, but no Docker engine answers at ${engineEndpoint()}`);
    return d.startLocal(opts);
  }
  try {
    return await startInContainer(opts, image, d.startContainer);
  } catch (err) {
    const failure = containerFailure(image, err);
    if (mode === 'docker') throw failure;
    d.warn(`keycloak-harness: ${failure.message}. Falling back to the local distribution (scripts/keycloak); KEYCLOAK_HARNESS_MODE=docker makes this an error.`);
    return d.startLocal(opts);
  }
}

/**
 * Creates (once) a public test-only client with direct access grants, for tests that need user
 * tokens without a browser. The realm file deliberately has no such client.
 */
export async function ensureDirectGrantClient(kc: KeycloakInstance, clientId = 'mcp-test-direct-grant'): Promise<string> {
  const res = await fetch(`${kc.baseUrl}/admin/realms/${kc.realm}/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await kc.adminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId,
      publicClient: true,
      directAccessGrantsEnabled: true,
      standardFlowEnabled: false,
      fullScopeAllowed: false,
      defaultClientScopes: ['basic', 'profile', 'roles'],
      optionalClientScopes: ['mcp:tools', 'mcp:prompts', 'mcp:resources', 'mcp:admin', 'mcp:private'],
    }),
  });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`creating ${clientId} failed: ${res.status} ${await res.text()}`);
  }
  return clientId;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  [key: string]: unknown;
}

/** Password grant for a demo user through the test-only client (see ensureDirectGrantClient). */
export async function userToken(
  kc: KeycloakInstance,
  user: 'alice' | 'bob' | 'admin',
  scope = 'mcp:tools mcp:prompts mcp:resources mcp:admin mcp:private',
): Promise<TokenResponse> {
  const clientId = await ensureDirectGrantClient(kc);
  return tokenRequest(kc, {
    grant_type: 'password',
    client_id: clientId,
    username: user,
    password: kc.credentials.users[user],
    scope,
  });
}

/** Client credentials token for mcp-m2m. */
export async function m2mToken(kc: KeycloakInstance, scope?: string): Promise<TokenResponse> {
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (scope !== undefined) form.scope = scope;
  return tokenRequest(kc, form, ['mcp-m2m', kc.credentials.m2mClientSecret]);
}

async function tokenRequest(
  kc: KeycloakInstance,
  form: Record<string, string>,
  basic?: readonly [string, string],
): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) {
    const enc = (s: string) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${enc(basic[0])}:${enc(basic[1])}`).toString('base64')}`;
  }
  const res = await fetch(`${kc.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  });
  const body = (await res.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`);
  return body;
}

// ---------------------------------------------------------------------------------------------
// shared helpers

function parseMode(value: string | undefined): 'auto' | 'docker' | 'local' {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'docker' || value === 'local') return value;
  throw new Error(`KEYCLOAK_HARNESS_MODE must be auto, docker or local, got "${value}"`);
}

/** Alphanumeric only: values are substituted verbatim into the realm JSON. */
function secret(): string {
  return randomBytes(24).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x');
}

function freshCredentials(): KeycloakCredentials {
  return {
    users: { alice: secret(), bob: secret(), admin: secret() },
    m2mClientSecret: secret(),
    m2mDpopClientSecret: secret(),
    serverClientSecret: secret(),
    bootstrapAdminUsername: 'admin',
    bootstrapAdminPassword: secret(),
  };
}

/** Environment the realm placeholders and the bootstrap admin read. */
function realmEnv(creds: KeycloakCredentials, resourceUri: string): Record<string, string> {
  return {
    MCP_RESOURCE_URI: resourceUri,
    MCP_DEMO_ALICE_PASSWORD: creds.users.alice,
    MCP_DEMO_BOB_PASSWORD: creds.users.bob,
    MCP_DEMO_ADMIN_PASSWORD: creds.users.admin,
    MCP_M2M_CLIENT_SECRET: creds.m2mClientSecret,
    MCP_M2M_DPOP_CLIENT_SECRET: creds.m2mDpopClientSecret,
    MCP_SERVER_CLIENT_SECRET: creds.serverClientSecret,
    KC_BOOTSTRAP_ADMIN_USERNAME: creds.bootstrapAdminUsername,
    KC_BOOTSTRAP_ADMIN_PASSWORD: creds.bootstrapAdminPassword,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function adminTokenSource(baseUrl: string, creds: KeycloakCredentials): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.expiresAt) return cached.token;
    const res = await fetch(`${baseUrl}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: creds.bootstrapAdminUsername,
        password: creds.bootstrapAdminPassword,
      }),
    });
    if (!res.ok) throw new Error(`admin token request failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    cached = { token: body.access_token, expiresAt: Date.now() + Math.max(0, body.expires_in - 10) * 1000 };
    return body.access_token;
  };
}

async function readVersion(): Promise<string> {
  return (await readFile(join(repoRoot, 'keycloak', 'VERSION'), 'utf8')).trim();
}

// ---------------------------------------------------------------------------------------------
// local path: scripts/keycloak/start.sh with a private run directory

async function startLocal(opts: StartKeycloakOptions): Promise<KeycloakInstance> {
  const creds = opts.credentials ?? freshCredentials();
  const resourceUri = opts.resourceUri ?? DEFAULT_RESOURCE_URI;
  const port = opts.port ?? (await freePort());
  let managementPort = opts.managementPort ?? (await freePort());
  if (managementPort === port) managementPort = await freePort();
  const runsDir = join(repoRoot, '.cache', 'keycloak', 'runs');
  await mkdir(runsDir, { recursive: true });
  const runDir = await mkdtemp(join(runsDir, `kc-${port}-`));
  const timeoutS = Math.ceil((opts.startTimeoutMs ?? 240_000) / 1000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...realmEnv(creds, resourceUri),
    ...opts.env,
    KC_RUN_DIR: runDir,
  };

  const script = (name: string) => join(repoRoot, 'scripts', 'keycloak', name);
  const run = (name: string, args: string[], limitMs: number) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn('bash', [script(name), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGTERM'), limitMs);
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
    });

  const started = await run('start.sh', ['--port', String(port), '--management-port', String(managementPort), '--timeout', String(timeoutS)], (timeoutS + 120) * 1000);
  if (started.code !== 0) {
    await rm(runDir, { recursive: true, force: true });
    throw new Error(`scripts/keycloak/start.sh failed (exit ${String(started.code)}):\n${started.stderr.slice(-4000)}`);
  }
  const envFile = join(runDir, 'keycloak.env');
  const values = parseEnvFile(await readFile(envFile, 'utf8'));
  const baseUrl = values.KC_BASE_URL ?? `http://localhost:${port}`;
  const pid = Number(values.KC_PID);

  // Safety net: a test run that never calls stop() must not leave Keycloak running.
  const onExit = () => {
    try {
      if (pid > 0) process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);

  let stopped: Promise<void> | undefined;
  return {
    issuer: values.KC_ISSUER ?? `${baseUrl}/realms/${REALM}`,
    baseUrl,
    realm: REALM,
    resourceUri,
    mode: 'local',
    credentials: creds,
    envFile,
    adminToken: adminTokenSource(baseUrl, creds),
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', onExit);
        const res = await run('stop.sh', [], 90_000);
        if (res.code !== 0) throw new Error(`scripts/keycloak/stop.sh failed: ${res.stderr}`);
        await rm(runDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Docker path: the container itself is keycloak-container.ts

async function startInContainer(opts: StartKeycloakOptions, image: string, startContainer: ContainerStarter): Promise<KeycloakInstance> {
  const creds = opts.credentials ?? freshCredentials();
  const resourceUri = opts.resourceUri ?? DEFAULT_RESOURCE_URI;
  // A fixed host port, chosen up front, so the pinned hostname (and so the issuer) is known.
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  // Anonymous registrations sent to localhost reach the container from the bridge gateway, not
  // from 127.0.0.1: trust that address, so the realm's sender check stays on as in local mode.
  // (Switching the check off is no option: Keycloak refuses to import a Trusted Hosts policy
  // with both the sender and the client-URI check off, the realm's default for the latter.)
  const gateway = await bridgeGateway();
  const container = await startContainer({
    image,
    repoRoot,
    env: {
      ...realmEnv(creds, resourceUri),
      ...(gateway ? { MCP_DCR_EXTRA_TRUSTED_HOST: gateway } : {}),
      ...opts.env,
    },
    hostPort: port,
    baseUrl,
    realmFile: join(repoRoot, 'keycloak', 'realm-mcp.json'),
    startTimeoutMs: opts.startTimeoutMs ?? 240_000,
  });
  return {
    issuer: `${baseUrl}/realms/${REALM}`,
    baseUrl,
    realm: REALM,
    resourceUri,
    mode: 'docker',
    credentials: creds,
    adminToken: adminTokenSource(baseUrl, creds),
    stop: () => container.stop(),
  };
}
