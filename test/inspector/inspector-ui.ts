/**
 * MCP Inspector 2.12's web UI as a person uses it: the Servers page (Add Servers → Add manually,
 * the connect switch), the Tools / Prompts / Resources tabs, the step-up dialog and the
 * notifications. Every wait is on visible UI state; selectors are the UI's own labels.
 */
import type { Locator, Page } from 'playwright-core';

/** Generous: the machine may be busy with a Keycloak next door. */
export const UI_TIMEOUT = 30_000;

/** The header's Servers / Tools / Prompts / Resources switch. */
export type InspectorTab = 'Servers' | 'Tools' | 'Prompts' | 'Resources';

/** The notification (Mantine toast) whose text matches, once it is shown. */
export function notification(page: Page, text: RegExp): Locator {
  return page.locator('.mantine-Notification-root').filter({ hasText: text }).first();
}

/** Texts of every notification and alert currently shown (for error messages). */
export async function shownMessages(page: Page): Promise<string> {
  const texts = await page.locator('.mantine-Notification-root, [role="alert"]').allInnerTexts().catch(() => []);
  return texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ') || '(none)';
}

/** Opens the UI and waits for the Servers page. */
export async function openInspector(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Add Servers' }).waitFor({ timeout: UI_TIMEOUT });
}

/** Add Servers → Add manually: a Streamable HTTP server with this id and URL. */
export async function addHttpServer(page: Page, id: string, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Add Servers' }).click();
  await page.getByRole('menuitem', { name: /Add manually/ }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: 'Add server' });
  await dialog.getByLabel('Server ID').fill(id);
  await dialog.getByRole('textbox', { name: 'Transport' }).click();
  await page.getByRole('option', { name: 'streamable-http' }).click();
  await dialog.getByLabel('URL').fill(url);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await serverCard(page, url).waitFor({ timeout: UI_TIMEOUT });
}

/** The server's card on the Servers page. */
export function serverCard(page: Page, url: string): Locator {
  return page.locator('.mantine-Card-root, [class*="Card-root"]').filter({ hasText: url }).first();
}

/**
 * Flips the card's connect switch and waits until the browser leaves for the authorization
 * server (or the card says Connected). A click that lands while the card is still settling
 * is not taken; the switch is clicked again then.
 */
export async function connect(page: Page, url: string, asOrigin: string): Promise<void> {
  const card = serverCard(page, url);
  const toggle = card.getByRole('switch');
  const deadline = Date.now() + 90_000;
  for (let attempt = 1; ; attempt++) {
    if ((await toggle.getAttribute('aria-checked').catch(() => null)) !== 'true' && !(await toggle.isChecked().catch(() => false))) {
      await toggle.click({ force: true });
    }
    const left = await page
      .waitForURL((u) => u.origin === asOrigin, { timeout: 15_000, waitUntil: 'commit' })
      .then(() => true, () => false);
    if (left) return;
    if (await card.getByText('Connected', { exact: true }).isVisible().catch(() => false)) return;
    const status = (await card.innerText().catch(() => '')).split('\n').filter(Boolean).slice(1, 2).join('');
    if (Date.now() > deadline || attempt >= 4) throw new Error(`did not reach the authorization server after ${attempt} tries; card status "${status}", messages: ${await shownMessages(page)}`);
    // A failed attempt leaves the switch on "Failed": switch it off so the next click connects.
    if (/Failed/.test(status) && (await toggle.isChecked().catch(() => false))) await toggle.click({ force: true });
  }
}

/** Waits until the server's card says Connected (after the OAuth callback). */
export async function waitConnected(page: Page, url: string): Promise<void> {
  await openTab(page, 'Servers');
  const card = serverCard(page, url);
  await card.getByText('Connected', { exact: true }).waitFor({ timeout: 60_000 }).catch(async () => {
    throw new Error(`not connected; card says "${(await card.innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200)}", messages: ${await shownMessages(page)}`);
  });
}

/** Switches the header tab. */
export async function openTab(page: Page, tab: InspectorTab): Promise<void> {
  const label = page.locator('.mantine-SegmentedControl-root label').filter({ hasText: new RegExp(`^${tab}$`) }).first();
  // The tab switch only exists while connected; on the bare Servers page there is nothing to do.
  if (tab === 'Servers' && !(await label.isVisible().catch(() => false))) return;
  await label.click({ timeout: UI_TIMEOUT });
  await page.locator(`input[type="radio"][value="${tab}"]:checked`).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT });
}

/** The names of the tools in the Tools tab's list (each item shows its title, then its name). */
export async function listedTools(page: Page): Promise<string[]> {
  await openTab(page, 'Tools');
  await page.getByText(/^Tools \(\d+\)$/).waitFor({ timeout: UI_TIMEOUT });
  const items = await page.getByRole('button').allInnerTexts();
  return items.map((t) => t.trim().split('\n').map((l) => l.trim()).filter(Boolean))
    .filter((lines) => lines.length === 2 && /^[a-z][a-z0-9_]*$/.test(lines[1]!))
    .map((lines) => lines[1]!);
}

/** Selects a tool in the Tools tab (its form opens). */
export async function selectTool(page: Page, name: string): Promise<void> {
  await openTab(page, 'Tools');
  await page.getByText(name, { exact: true }).click({ timeout: UI_TIMEOUT });
  await page.getByRole('button', { name: 'Execute Tool' }).waitFor({ timeout: UI_TIMEOUT });
}

/** Clicks Execute Tool (the form keeps its values). */
export async function executeTool(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Execute Tool' }).click({ timeout: UI_TIMEOUT });
}

/** Waits for the Results panel to contain `text` and returns the panel's text. */
export async function waitForResult(page: Page, text: string | RegExp): Promise<string> {
  const heading = page.getByText('Results', { exact: true });
  await heading.waitFor({ timeout: UI_TIMEOUT }).catch(async () => {
    throw new Error(`no Results panel; messages: ${await shownMessages(page)}`);
  });
  const body = page.locator('body');
  const re = typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text;
  const deadline = Date.now() + UI_TIMEOUT;
  for (;;) {
    const all = await body.innerText();
    const from = all.indexOf('Results');
    const shown = from >= 0 ? all.slice(from) : all;
    if (re.test(shown)) return shown;
    if (Date.now() > deadline) throw new Error(`Results do not show ${String(re)}:\n${shown.slice(0, 600)}`);
    await page.waitForTimeout(250);
  }
}

/** Prompts tab: selects the prompt by its title, fills `args` (label → value), Get Prompt; returns the messages' text. */
export async function getPrompt(page: Page, title: string, args: Record<string, string>, expect: RegExp): Promise<string> {
  await openTab(page, 'Prompts');
  await page.getByRole('button').filter({ hasText: title }).first().click({ timeout: UI_TIMEOUT });
  for (const [label, value] of Object.entries(args)) await page.getByRole('textbox', { name: label }).fill(value);
  await page.getByRole('button', { name: 'Get Prompt' }).click();
  const messages = page.locator('div').filter({ has: page.getByText('Messages', { exact: true }) }).filter({ hasText: expect }).last();
  await messages.waitFor({ timeout: UI_TIMEOUT }).catch(async () => {
    throw new Error(`the prompt's messages do not show ${String(expect)}; messages: ${await shownMessages(page)}`);
  });
  return messages.innerText();
}

/** Resources tab: opens the resource by its title and returns the preview's text once it contains `expect`. */
export async function readResource(page: Page, title: string, expect: RegExp): Promise<string> {
  await openTab(page, 'Resources');
  await page.getByText(title, { exact: true }).click({ timeout: UI_TIMEOUT });
  const preview = page.locator('div').filter({ has: page.getByText('Resource', { exact: true }) }).filter({ hasText: expect }).last();
  await preview.waitFor({ timeout: UI_TIMEOUT }).catch(async () => {
    throw new Error(`the resource preview does not show ${String(expect)}; messages: ${await shownMessages(page)}`);
  });
  return preview.innerText();
}

/** The SEP-2350 step-up dialog ("Additional permissions required"). */
export function stepUpDialog(page: Page): Locator {
  return page.getByRole('dialog').filter({ hasText: 'Additional permissions required' });
}
