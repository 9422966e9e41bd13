/**
 * Named steps with a screenshot each (results/inspector/<timestamp>/NN-step.png, whether the
 * step passed or not), so a failure can be looked at afterwards, and the pass/fail tally for
 * the closing line.
 */
import type { Page } from 'playwright-core';
import { join } from 'node:path';

/** Outcome of one step. */
export interface StepResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  readonly screenshot?: string;
}

/** Thrown by step() for a failed hard step: the rest of that journey cannot run. */
export class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

/** Collects step results for the whole run. */
export class Journal {
  readonly results: StepResult[] = [];
  private n = 0;

  constructor(readonly dir: string) {}

  /**
   * Runs `fn` as the step `name` and screenshots `page` afterwards. A failing step is recorded;
   * unless `soft`, it then throws StepFailed so the caller's journey stops there.
   */
  async step(page: Page | undefined, name: string, fn: () => Promise<void>, opts: { soft?: boolean } = {}): Promise<boolean> {
    const started = Date.now();
    let error: string | undefined;
    try {
      await fn();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const ms = Date.now() - started;
    const screenshot = page ? await this.snapshot(page, name) : undefined;
    this.results.push({ name, ok: error === undefined, ms, ...(error !== undefined ? { error } : {}), ...(screenshot ? { screenshot } : {}) });
    const secs = (ms / 1000).toFixed(1);
    if (error === undefined) {
      console.log(`  ✓ ${name} (${secs}s)`);
      return true;
    }
    console.log(`  ✗ ${name} (${secs}s)\n      ${error.split('\n').slice(0, 8).join('\n      ')}`);
    if (screenshot) console.log(`      screenshot: ${screenshot}`);
    if (!opts.soft) throw new StepFailed(name);
    return false;
  }

  /** Screenshots `page` as the next NN-<name>.png (also for pages a step passes through); returns the path. */
  async snapshot(page: Page, name: string): Promise<string | undefined> {
    if (page.isClosed()) return undefined;
    const file = join(this.dir, `${String(++this.n).padStart(2, '0')}-${slug(name)}.png`);
    return page.screenshot({ path: file, timeout: 15_000 }).then(() => file, () => undefined);
  }

  get passed(): number {
    return this.results.filter((r) => r.ok).length;
  }

  get failed(): number {
    return this.results.filter((r) => !r.ok).length;
  }
}
