/**
 * Parse a Prometheus text exposition with Prometheus's own parser (prometheus/common/expfmt,
 * scripts/metrics-check, built once into .cache/ with the Go module proxy).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = join(root, '.cache/metrics-check/metrics-check');

/** One sample: its labels and value (histograms: the sample count). */
export interface Sample { labels: Record<string, string>; value: number | null }
/** Metric families by name. */
export type Families = Record<string, { type: string; samples: Sample[] }>;

/** Parse `text`; throws with the parser's message when the exposition is malformed. */
export function parseExposition(text: string): Families {
  if (!existsSync(bin)) execFileSync('go', ['build', '-o', bin, '.'], { cwd: join(root, 'scripts/metrics-check'), stdio: 'inherit' });
  return JSON.parse(execFileSync(bin, { input: text, encoding: 'utf8' })) as Families;
}

/** The value of the sample of `name` whose labels include `labels` (0 when absent). */
export function valueOf(f: Families, name: string, labels: Record<string, string> = {}): number {
  const s = f[name]?.samples.find((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value ?? 0;
}
