/**
 * npm run test:inspector: MCP Inspector 2.x's web UI in a real (headless) Chromium against our
 * server, twice: with the embedded development authorization server, and with Keycloak (the
 * realm file, started from the Maven distribution by the integration harness). Each leg runs
 * alice's and admin's journeys (test/inspector/journey.ts) and screenshots every step into
 * results/inspector/<timestamp>/.
 *
 * Without /usr/bin/chromium or a Node 22 for the Inspector the run is skipped with one loud
 * line (a failure under CI=true); Keycloak missing skips only its leg, the same way.
 *
 * Usage: npm run test:inspector [-- --only dev|keycloak]
 * Environment: INSPECTOR_CHROMIUM (default /usr/bin/chromium), KEYCLOAK_HARNESS_MODE (default local)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { detectKeycloakRuntime, inCi } from '../integration/support/availability.js';
import { startKeycloak } from '../integration/keycloak/keycloak-harness.js';
import { freePort, startMcpServer, type McpServerProcess } from '../integration/support/mcp-server.js';
import { devAuthPages, keycloakPages, type AuthServerPages } from './auth-pages.js';
import { ensureInspector, InstallError, INSPECTOR_VERSION, type InspectorInstall } from './install.js';
import { Journal } from './journal.js';
import { endOrphanKeycloak } from './orphans.js';
import { userJourney, type JourneyCredentials, type JourneyUser } from './journey.js';
import { userId } from '../integration/support/keycloak.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Debian's chromium; INSPECTOR_CHROMIUM points elsewhere (never a downloaded browser). */
const CHROMIUM = process.env.INSPECTOR_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const USERS: readonly JourneyUser[] = ['alice', 'admin'];

type Leg = 'dev' | 'keycloak';

/** A leg's running server, its authorization server's pages, and the demo users' credentials. */
interface LegSetup {
  readonly server: McpServerProcess;
  readonly as: AuthServerPages;
  readonly users: Record<JourneyUser, JourneyCredentials>;
}

/** Cleanup actions, run last-in first-out on every exit path (also on SIGINT/SIGTERM). */
const cleanups: (() => Promise<void>)[] = [];
async function runCleanups(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
}
// `on`, not `once`: Ctrl-C reaches both tsx and this process, and tsx relays it once more; a
// second SIGINT without a handler would kill us mid-teardown, before the 'exit' safety nets run.
let tearingDown = false;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    if (tearingDown) return;
    tearingDown = true;
    console.error(`\ntest:inspector: ${signal}, tearing down ...`);
    void runCleanups().finally(() => process.exit(code));
  });
}

/** Skip loudly on a developer machine; fail under CI=true. */
function skipOrFail(what: string, why: string): 'skipped' | 'failed' {
  const ci = inCi();
  console.log(`\n${'#'.repeat(8)} test:inspector: ${ci ? 'FAILED' : 'SKIPPED'} ${what}: ${why}${ci ? ' (CI=true: a missing prerequisite is a failure)' : ''} ${'#'.repeat(8)}\n`);
  return ci ? 'failed' : 'skipped';
}

/** The whole run cannot start: the loud line, then the closing tally. */
function skipRun(why: string): number {
  const failed = skipOrFail('the whole run', why) === 'failed';
  console.log(`0 passed, ${failed ? 1 : 0} failed`);
  return failed ? 1 : 0;
}

const secret = () => randomBytes(18).toString('base64url');

/** Our server with the embedded development authorization server, on free ports. */
async function devLeg(inspectorOrigins: string): Promise<LegSetup> {
  const [port, asPort] = [await freePort(), await freePort()];
  const passwords = { alice: secret(), admin: secret() };
  const server = await startMcpServer(port, {
    MCP_RESOURCE_URI: `http://localhost:${port}/mcp`,
    MCP_DEV_AUTH_PORT: String(asPort),
    MCP_DEMO_ALICE_PASSWORD: passwords.alice,
    MCP_DEMO_BOB_PASSWORD: secret(),
    MCP_DEMO_ADMIN_PASSWORD: passwords.admin,
    MCP_ALLOWED_ORIGINS: inspectorOrigins,
  });
  cleanups.push(() => server.stop());
  // The dev AS uses the username as `sub`.
  return { server, as: devAuthPages(`http://localhost:${asPort}`), users: { alice: { password: passwords.alice, subject: 'alice' }, admin: { password: passwords.admin, subject: 'admin' } } };
}

/** Keycloak (harness, local mode by default) and our server pointed at it, as test/integration does. */
async function keycloakLeg(inspectorOrigins: string): Promise<LegSetup> {
  const port = await freePort();
  const resource = `http://localhost:${port}/mcp`;
  // Our choice of port lets the cleanup find a Keycloak whose start was interrupted.
  const kcPort = await freePort();
  const starting = startKeycloak({ mode: keycloakMode(), resourceUri: resource, port: kcPort });
  cleanups.push(async () => {
    const started = await starting.catch(() => undefined);
    if (started) return started.stop();
    const ended = await endOrphanKeycloak(kcPort);
    if (ended.length) console.error(`test:inspector: ended a Keycloak left running on port ${kcPort} (process group ${ended.join(', ')})`);
  });
  const kc = await starting;
  const server = await startMcpServer(port, {
    MCP_RESOURCE_URI: resource,
    MCP_AUTH_ISSUERS: kc.issuer,
    MCP_TOKEN_MODE: 'jwt',
    MCP_INTROSPECTION_CLIENT_ID: 'mcp-server',
    MCP_INTROSPECTION_CLIENT_SECRET: kc.credentials.serverClientSecret,
    MCP_ALLOWED_ORIGINS: inspectorOrigins,
  });
  cleanups.push(() => server.stop());
  const { alice, admin } = kc.credentials.users;
  // Keycloak's `sub` is the user's id in the realm.
  return {
    server,
    as: keycloakPages(kc.baseUrl),
    users: { alice: { password: alice, subject: await userId(kc, 'alice') }, admin: { password: admin, subject: await userId(kc, 'admin') } },
  };
}

const keycloakMode = (): 'local' | 'docker' | 'auto' => {
  const m = process.env.KEYCLOAK_HARNESS_MODE;
  return m === 'docker' || m === 'auto' ? m : 'local';
};

async function runLeg(leg: Leg, install: InspectorInstall, browser: Browser, journal: Journal, resultsDir: string, timings: string[]): Promise<void> {
  const started = Date.now();
  const inspectorPort = await freePort();
  const origins = `http://localhost:${inspectorPort},http://127.0.0.1:${inspectorPort}`;
  const title = leg === 'dev' ? 'embedded development authorization server' : 'Keycloak';
  console.log(`\n=== ${title} ===`);
  const mark = cleanups.length;
  let server: McpServerProcess | undefined;
  try {
    let setup: LegSetup | undefined;
    await journal.step(undefined, `${leg === 'dev' ? 'dev AS' : 'Keycloak'}: start ${leg === 'dev' ? 'our server with the dev AS' : 'Keycloak and our server'}`, async () => {
      setup = leg === 'dev' ? await devLeg(origins) : await keycloakLeg(origins);
    }, { soft: true });
    if (!setup) return;
    const ready: LegSetup = setup;
    server = ready.server;
    const setupMs = Date.now() - started;
    timings.push(`${title}: start-up ${(setupMs / 1000).toFixed(0)}s`);
    for (const user of USERS) {
      const t0 = Date.now();
      const failedBefore = journal.failed;
      await userJourney({
        install, browser, journal, serverUrl: ready.server.url, as: ready.as, inspectorPort,
        workDir: join(resultsDir, leg), checkAuthPages: leg === 'dev', serverLog: () => ready.server.output(),
      }, user, ready.users[user]);
      timings.push(`${title}: ${user} ${((Date.now() - t0) / 1000).toFixed(0)}s${journal.failed > failedBefore ? ' (with failures)' : ''}`);
    }
  } finally {
    if (server) writeFileSync(join(resultsDir, leg, 'server.log'), server.output());
    while (cleanups.length > mark) await cleanups.pop()!().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
    timings.push(`${title}: total ${((Date.now() - started) / 1000).toFixed(0)}s`);
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg >= 0 ? process.argv[onlyArg + 1] : undefined;
  if (only !== undefined && only !== 'dev' && only !== 'keycloak') throw new Error('--only must be dev or keycloak');
  const legs: Leg[] = only ? [only] : ['dev', 'keycloak'];

  if (!existsSync(CHROMIUM)) return skipRun(`${CHROMIUM} is missing (apt-get install -y chromium)`);
  let install: InspectorInstall;
  try {
    install = ensureInspector(repoRoot, (l) => console.log(`[inspector] ${l}`));
  } catch (e) {
    if (!(e instanceof InstallError)) throw e;
    return skipRun(`cannot install Node 22 / the Inspector: ${e.message}`);
  }

  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const resultsDir = join(repoRoot, 'results', 'inspector', stamp);
  for (const leg of legs) mkdirSync(join(resultsDir, leg), { recursive: true });
  console.log(`test:inspector: MCP Inspector ${INSPECTOR_VERSION} in Chromium; screenshots in ${relative(repoRoot, resultsDir)}/`);

  let skipFailed = 0;
  if (legs.includes('keycloak')) {
    if (keycloakMode() === 'local') process.env.KEYCLOAK_HARNESS_MODE = 'local';
    const rt = await detectKeycloakRuntime();
    if (!rt.available) {
      legs.splice(legs.indexOf('keycloak'), 1);
      if (skipOrFail('the Keycloak leg', `no way to start Keycloak: ${rt.missing.join('; ')}`) === 'failed') skipFailed++;
    }
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  cleanups.push(() => browser.close());
  const journal = new Journal(resultsDir);
  const timings: string[] = [];
  try {
    for (const leg of legs) await runLeg(leg, install, browser, journal, resultsDir, timings);
  } finally {
    await runCleanups();
  }

  console.log('\n=== summary ===');
  for (const t of timings) console.log(`  ${t}`);
  for (const r of journal.results.filter((x) => !x.ok)) console.log(`  FAILED ${r.name}${r.screenshot ? `\n         ${relative(repoRoot, r.screenshot)}` : ''}`);
  console.log(`  screenshots: ${relative(repoRoot, resultsDir)}/`);
  console.log(`  whole run: ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  const failed = journal.failed + skipFailed;
  console.log(`${journal.passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    console.error(`test:inspector: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await runCleanups();
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
