/**
 * A small sequential test runner for the appliance journeys: each step is named, timed and
 * either passes or fails with its error; steps after a failed prerequisite are reported as
 * not run. It ends with one `test:compose: N passed, N failed` line (and N not run).
 */

/** One step's outcome. */
export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'not run';
  ms: number;
  error?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs steps in order and keeps their results. */
export class Runner {
  readonly results: StepResult[] = [];
  /** Set when a required step failed: later steps are not run. */
  private blockedBy: string | undefined;

  /**
   * Runs `fn` as step `name` (unless an earlier required step failed). `required`: a failure
   * stops the steps after it (the stack did not come up, so nothing else can be tested).
   */
  async step(name: string, fn: () => Promise<unknown>, opts: { timeoutMs?: number; required?: boolean } = {}): Promise<boolean> {
    if (this.blockedBy) {
      this.results.push({ name, status: 'not run', ms: 0, error: `needs "${this.blockedBy}"` });
      console.log(`  -  ${name} (not run: needs "${this.blockedBy}")`);
      return false;
    }
    const started = Date.now();
    const timeoutMs = opts.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${seconds(timeoutMs)}`)), timeoutMs); }),
      ]);
      const ms = Date.now() - started;
      this.results.push({ name, status: 'passed', ms });
      console.log(`  ✓  ${name} (${seconds(ms)})`);
      return true;
    } catch (e) {
      const ms = Date.now() - started;
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      this.results.push({ name, status: 'failed', ms, error });
      console.log(`  ✗  ${name} (${seconds(ms)})\n${error.replace(/^/gm, '       ')}`);
      if (opts.required) this.blockedBy = name;
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** True when no step failed and none was skipped for a failed prerequisite. */
  get ok(): boolean {
    return this.results.every((r) => r.status === 'passed');
  }

  /** The closing line. */
  summary(): string {
    const count = (s: StepResult['status']) => this.results.filter((r) => r.status === s).length;
    const notRun = count('not run');
    return `test:compose: ${count('passed')} passed, ${count('failed')} failed${notRun ? `, ${notRun} not run` : ''}`;
  }
}

/** A loud multi-line banner on stderr (skips and CI failures must not scroll past unseen). */
export function banner(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '#'.repeat(width);
  process.stderr.write(['', bar, ...lines.map((l) => `# ${l.padEnd(width - 4)} #`), bar, ''].join('\n') + '\n');
}
