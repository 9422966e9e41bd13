/**
 * One person's session with MCP Inspector against our server, as the README walks it through:
 * a fresh Inspector (nothing remembered from the previous person), add the server, connect,
 * sign in at the authorization server, then use tools, prompts, resources and the mcp:admin
 * step-up. alice may use tools and prompts and is refused mcp:admin; admin holds every role.
 */
import type { Browser, Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passAuthorization, type AuthPageKind, type AuthServerPages } from './auth-pages.js';
import type { InspectorInstall } from './install.js';
import { startInspectorWeb } from './inspector-web.js';
import {
  addHttpServer, connect, executeTool, getPrompt, listedTools, notification, openInspector, readResource, selectTool, shownMessages,
  stepUpDialog, UI_TIMEOUT, waitConnected, waitForResult,
} from './inspector-ui.js';
import { StepFailed, type Journal } from './journal.js';

/** The client_name MCP Inspector registers with (Dynamic Client Registration). */
export const INSPECTOR_CLIENT_NAME = 'MCP Inspector';
/** The server id the test gives our server in Inspector's catalog. */
const SERVER_ID = 'mcp-resource-server';

/** What a journey runs against. */
export interface JourneyEnv {
  readonly install: InspectorInstall;
  readonly browser: Browser;
  readonly journal: Journal;
  /** Our server's /mcp URL (http://localhost:<port>/mcp). */
  readonly serverUrl: string;
  readonly as: AuthServerPages;
  /** Inspector's port: fixed per authorization server, so our server can allow its origin. */
  readonly inspectorPort: number;
  /** Where the Inspector's private HOME and its log go. */
  readonly workDir: string;
  /** Check that the login and consent pages name the client and fit the window (dev AS, bug 6). */
  readonly checkAuthPages: boolean;
  /** Our server's log so far (JSON lines; the audit lines confirm what the UI shows). */
  serverLog(): string;
}

/** The demo users the journeys use. */
export type JourneyUser = 'alice' | 'admin';

/** A demo user's password and the `sub` the authorization server puts in their tokens. */
export interface JourneyCredentials {
  readonly password: string;
  readonly subject: string;
}

/** Runs the journey of `user`; failures are recorded in the journal. */
export async function userJourney(env: JourneyEnv, user: JourneyUser, { password, subject }: JourneyCredentials): Promise<void> {
  const { journal, as, serverUrl } = env;
  const label = `${as.label} · ${user}`;
  console.log(`\n${label}`);
  const inspector = await startInspectorWeb(env.install, env.inspectorPort, join(env.workDir, `inspector-${user}`)).catch((e: unknown) => e as Error);
  if (inspector instanceof Error) {
    await journal.step(undefined, `${label}: start the MCP Inspector web UI`, () => Promise.reject(inspector), { soft: true });
    return;
  }
  // A fresh context per person: no cookies (no SSO session) or storage from the previous one.
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  // The client id Inspector registered, from its authorization request (the pages must not show it).
  let clientId: string | undefined;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === as.origin && u.searchParams.get('client_id')) clientId = u.searchParams.get('client_id') ?? undefined;
  });
  const step = (name: string, fn: () => Promise<void>, soft = false) => journal.step(page, `${label}: ${name}`, fn, { soft });
  // Every authorization server page gets a screenshot: the dev AS's from its checks' steps.
  const authPageChecks = async (kind: AuthPageKind) => {
    if (!env.checkAuthPages) {
      await journal.snapshot(page, `${label}: ${as.label} ${kind} page`);
      return;
    }
    await step(`${kind} page names the client "${INSPECTOR_CLIENT_NAME}" (its client_name), not by its client id`, () => namesClient(page, clientId), true);
    await step(`${kind} page has no horizontal overflow at 1280x800`, () => noHorizontalOverflow(page), true);
  };

  try {
    await step('open MCP Inspector', () => openInspector(page, inspector.url));
    await step(`add the server (Streamable HTTP, ${serverUrl})`, () => addHttpServer(page, SERVER_ID, serverUrl));
    await step(`connect: redirected to the ${as.label} login page`, async () => {
      await connect(page, serverUrl, as.origin);
      if ((await as.pageKind(page)) !== 'login') throw new Error(`expected the login form, got another page at ${page.url()}`);
    });
    await step(`sign in as ${user} and consent: back in Inspector, connected`, async () => {
      const trace = await passAuthorization(page, as, inspector.origin, { username: user, password }, authPageChecks);
      if (!trace.pages.includes('login')) throw new Error(`the login form was never submitted (pages: ${trace.pages.join(', ') || 'none'})`);
      await waitConnected(page, serverUrl);
    });

    if (user === 'alice') {
      await step('Tools lists whoami, get_weather and admin_reset_stats', async () => {
        const names = await listedTools(page);
        const missing = ['whoami', 'get_weather', 'admin_reset_stats'].filter((n) => !names.includes(n));
        if (missing.length) throw new Error(`missing ${missing.join(', ')} in [${names.join(', ')}]${missing.includes('admin_reset_stats') ? ' (bug 4: the admin tool must be listed to everyone and refused by a 403 step-up)' : ''}`);
      });
      await step('call whoami: runs as alice, for the client Inspector registered, with mcp:tools and mcp:prompts', async () => {
        await selectTool(page, 'whoami');
        await executeTool(page);
        const shown = await waitForResult(page, jsonField('subject', subject));
        if (clientId && !jsonField('clientId', clientId).test(shown)) throw new Error(`whoami does not show clientId ${clientId}:\n${shown.slice(0, 600)}`);
        for (const scope of ['mcp:tools', 'mcp:prompts']) if (!shown.includes(`"${scope}"`)) throw new Error(`whoami does not list ${scope}:\n${shown.slice(0, 600)}`);
      });
      await step('get prompt get_advice (topic "testing")', async () => {
        await getPrompt(page, 'Get advice', { topic: 'testing' }, /advice about testing/i);
      });
    } else {
      await step('read resource server-info', async () => {
        await readResource(page, 'Server information', /"name":\s*"mcp-resource-server"/);
      });
    }

    await step('call admin_reset_stats {"confirm": true}: 403 insufficient_scope, Inspector offers the mcp:admin step-up', async () => {
      await selectTool(page, 'admin_reset_stats').catch((e: Error) => {
        throw new Error(`${e.message.split('\n')[0]} (bug 4: admin_reset_stats must be listed to everyone)`);
      });
      const confirm = page.getByRole('textbox', { name: /confirm/ });
      if ((await confirm.inputValue()) !== 'true') await confirm.fill('true');
      await executeTool(page);
      const dialog = stepUpDialog(page);
      await dialog.waitFor({ timeout: UI_TIMEOUT }).catch(async () => {
        throw new Error(`no step-up dialog; messages: ${await shownMessages(page)}`);
      });
      if (!(await dialog.innerText()).includes('mcp:admin')) throw new Error(`the step-up dialog does not ask for mcp:admin: ${await dialog.innerText()}`);
      if (!audited(env.serverLog(), subject, 'denied')) throw new Error(`the server logged no denied admin_reset_stats call for ${subject}`);
    });

    if (user === 'admin') {
      await step('step-up: Authorize, consent to mcp:admin, the call succeeds', async () => {
        await stepUpDialog(page).getByRole('button', { name: 'Authorize' }).click();
        await passAuthorization(page, as, inspector.origin, { username: user, password }, (kind) => journal.snapshot(page, `${label}: step-up ${as.label} ${kind} page`).then(() => {}));
        await stepUpSucceeds(page, subject);
        if (!audited(env.serverLog(), subject, 'ok')) throw new Error(`the server logged no successful admin_reset_stats call for ${subject}`);
      });
    } else {
      await step('step-up: Authorize, mcp:admin is not granted to alice, the call is refused with an error shown', async () => {
        await stepUpDialog(page).getByRole('button', { name: 'Authorize' }).click();
        const trace = await passAuthorization(page, as, inspector.origin, { username: user, password }, (kind) => journal.snapshot(page, `${label}: step-up ${as.label} ${kind} page`).then(() => {}));
        console.log(`      (${as.label} pages on the way: ${trace.pages.join(', ') || 'none, redirected straight back'})`);
        await stepUpRefused(page);
        if (audited(env.serverLog(), subject, 'ok')) throw new Error(`the server logged a successful admin_reset_stats call for ${subject}`);
      });
    }
  } catch (e) {
    if (!(e instanceof StepFailed)) throw e;
    console.log(`  … ${label}: journey stopped after "${e.message}"`);
  } finally {
    await context.close().catch(() => {});
    await inspector.stop();
    writeFileSync(join(env.workDir, `inspector-${user}.log`), inspector.output());
  }
}

/**
 * The page names the client by its registered client_name. The random client id may still be
 * shown as a detail, labelled "Client id", but never in the client's name's place.
 */
async function namesClient(page: Page, clientId: string | undefined): Promise<void> {
  const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  const problems: string[] = [];
  if (!text.includes(INSPECTOR_CLIENT_NAME)) problems.push(`does not show "${INSPECTOR_CLIENT_NAME}"`);
  if (clientId && text.split(`Client id ${clientId}`).join('').includes(clientId)) problems.push(`shows the client id ${clientId} as the client's name`);
  if (problems.length) throw new Error(`the page ${problems.join(' and ')} (bug 6): "${text.slice(0, 200)}"`);
}

/** document.documentElement.scrollWidth <= window.innerWidth. */
async function noHorizontalOverflow(page: Page): Promise<void> {
  // A string, not a function: the project's tsconfig has no DOM types.
  const m = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
  if (m.scrollWidth > m.innerWidth) throw new Error(`scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth} (bug 6)`);
}

const BUG3 = 'bug 3: Keycloak DCR clients cannot request mcp:admin';

/** Whether the server's audit log has an admin_reset_stats call by `subject` with this outcome. */
function audited(log: string, subject: string, outcome: 'ok' | 'denied'): boolean {
  return log.split('\n').some((line) => {
    if (!line.includes('"audit"') || !line.includes('admin_reset_stats')) return false;
    try {
      const e = JSON.parse(line) as Record<string, unknown>;
      return e.message === 'audit' && e.name === 'admin_reset_stats' && e.subject === subject && e.outcome === outcome;
    } catch {
      return false;
    }
  });
}

/** A JSON member `"name": "value"` as the result panels print it. */
function jsonField(name: string, value: string): RegExp {
  return new RegExp(`"${name}":\\s*"${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`);
}

/** After the step-up round trip: admin's call runs (Inspector may ask to retry it once). */
async function stepUpSucceeds(page: Page, subject: string): Promise<void> {
  const done = jsonField('by', subject);
  const deadline = Date.now() + 60_000;
  let retried = false;
  for (;;) {
    const body = await page.locator('body').innerText();
    const results = body.includes('Results') ? body.slice(body.indexOf('Results')) : '';
    if (done.test(results)) return;
    if (/invalid_scope/.test(body)) throw new Error(`the authorization server refused the scope (${BUG3}); messages: ${await shownMessages(page)}`);
    if (/not granted/i.test(body)) throw new Error(`mcp:admin was not granted to admin; messages: ${await shownMessages(page)}`);
    // Inspector 2.12 says "Step-up authorization succeeded. Retry your action.": retry once.
    if (!retried && (await notification(page, /Step-up authorization succeeded/).isVisible().catch(() => false))) {
      retried = true;
      await executeTool(page);
    }
    if (Date.now() > deadline) throw new Error(`no result after the step-up; messages: ${await shownMessages(page)}`);
    await page.waitForTimeout(250);
  }
}

/** After the step-up round trip: alice's call is refused, and Inspector says why. */
async function stepUpRefused(page: Page): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const body = await page.locator('body').innerText();
    if (/"cleared":/.test(body)) throw new Error('admin_reset_stats ran for alice');
    if (await notification(page, /Additional permissions not granted/).isVisible().catch(() => false)) return;
    if (/invalid_scope/.test(body)) throw new Error(`the authorization server rejected the request outright instead of leaving mcp:admin out (${BUG3}); messages: ${await shownMessages(page)}`);
    if (Date.now() > deadline) throw new Error(`no refusal shown after the step-up; messages: ${await shownMessages(page)}`);
    await page.waitForTimeout(250);
  }
}
