/** The local metrics render exactly what prom-client's own Counter and Histogram would. */
import { describe, expect, it } from '@jest/globals';
import { Counter, Histogram, Registry } from 'prom-client';
import { flushAll, LocalHistogram, Tally } from '../../src/observability/tallies.js';

const BOUNDS = [0.001, 0.01, 0.1, 1];
const VALUES = [0.0005, 0.001, 0.002, 0.05, 0.5, 3, 0.01];

describe('LocalHistogram', () => {
  it('renders the text prom-client\'s Histogram renders for the same observations', async () => {
    const theirs = new Registry();
    const h = new Histogram({ name: 'lat_seconds', help: 'latency', labelNames: ['tool'], buckets: BOUNDS, registers: [theirs] });
    const ours = new Registry();
    const l = new LocalHistogram('lat_seconds', 'latency', 'tool', BOUNDS);
    ours.registerMetric(l as never);
    for (const v of VALUES) { h.labels('a').observe(v); l.child('a').observe(v); }
    h.labels('b').observe(2); l.child('b').observe(2);
    l.child('never'); // a series without observations is not rendered (prom-client has none)
    expect(await ours.metrics()).toBe(await theirs.metrics());
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});

describe('Tally', () => {
  it('hands its count to the counter when the registry is read, once', async () => {
    const reg = new Registry();
    const tallies: Tally[] = [];
    const c = new Counter({ name: 'n_total', help: 'n', labelNames: ['k'], registers: [reg], collect: () => flushAll(tallies) });
    const t = new Tally(c.labels('x'));
    tallies.push(t);
    t.inc(); t.inc(); t.inc();
    expect(await reg.metrics()).toContain('n_total{k="x"} 3');
    t.inc();
    expect(await reg.metrics()).toContain('n_total{k="x"} 4');
    expect(await reg.metrics()).toContain('n_total{k="x"} 4');
  });
});
