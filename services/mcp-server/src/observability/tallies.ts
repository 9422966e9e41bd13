/**
 * Hot-path metrics as plain additions, handed to the Prometheus registry when it is scraped.
 * A prom-client child hashes its label set, validates it and allocates on every `inc` and
 * `observe`; per request that was most of the metrics' cost (docs/benchmarks.md, Metrics
 * overhead). Here a counter child is a number that the counter's `collect()` adds in once per
 * scrape, and the latency histogram keeps its own bucket counts and renders them itself.
 */
import type { Counter } from 'prom-client';

/** A counter child counted locally; `flush` adds what accumulated to prom-client's child. */
export class Tally {
  private pending = 0;
  constructor(private readonly child: Counter.Internal) {}
  /** Count one. */
  inc(): void { this.pending++; }
  /** Add the pending count to the prom-client child (from the counter's `collect`). */
  flush(): void {
    if (this.pending === 0) return;
    this.child.inc(this.pending);
    this.pending = 0;
  }
}

/** Flushes `tallies` into their counter: use as a prom-client Counter's `collect`. */
export function flushAll(tallies: Iterable<Tally>): void {
  for (const t of tallies) t.flush();
}

/** One labelled series of a LocalHistogram. */
export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly label: string, private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }
  /** Record one value (Prometheus buckets are upper-inclusive: `le`). */
  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

interface MetricValue { labels: Record<string, string | number>; value: number; metricName: string }

/**
 * A histogram with one label, exposed through prom-client's Registry (`registerMetric`) in the
 * text format prom-client's own Histogram writes: cumulative `_bucket{le=…}` lines, `+Inf`,
 * `_sum`, `_count`; a series appears once it has an observation.
 */
export class LocalHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, HistogramSeries>();

  constructor(readonly name: string, readonly help: string, private readonly labelName: string, private readonly bounds: readonly number[]) {}

  /** The series for a label value (callers bound the values: catalogue names, "unknown"). */
  child(label: string): HistogramSeries {
    let s = this.series.get(label);
    if (!s) this.series.set(label, (s = new HistogramSeries(label, this.bounds)));
    return s;
  }

  /** What the registry renders. */
  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      if (s.count === 0) continue;
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.counts[i]!;
        values.push({ labels: { le, [this.labelName]: s.label }, value: acc, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', [this.labelName]: s.label }, value: s.count, metricName: bucket });
      values.push({ labels: { [this.labelName]: s.label }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { [this.labelName]: s.label }, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Forget every observation (Registry#resetMetrics). */
  reset(): void {
    for (const s of this.series.values()) { s.counts.fill(0); s.sum = 0; s.count = 0; }
  }
}
