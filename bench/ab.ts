/**
 * `npx tsx bench/ab.ts VARIANT VARIANT … [--pairs N] [--duration S]`: paired A/B rounds of the
 * shipped binary (warm-JWT 2026-07-28 tools/call get_weather, 32 connections), for a change
 * too small for `npm run bench` to see through this machine's drift. Each pair runs every
 * variant once, back to back, in a fresh process (3 s warm-up, one round of S seconds), the
 * order alternating; the report is the median of the per-pair ratios to the first variant.
 * docs/benchmarks.md quotes its results. Build first (`npm run build`); nothing is built here.
 *
 * VARIANT is `name=ENV,ENV…[;node flags][@dist dir]`, for example:
 *   'info=LOG_LEVEL=info'  'warn=LOG_LEVEL=warn'
 *   'metrics=LOG_LEVEL=info,MCP_METRICS=port,MCP_METRICS_PORT=0'
 *   'semi2=LOG_LEVEL=warn;--max-semi-space-size=2 --heap-growing-percent=100'
 *   'before=LOG_LEVEL=info@.cache/dist-before'   (a copy of an earlier dist/)
 * Without `;flags` a variant gets the Dockerfile's flags; without `@dir`, services/mcp-server/dist.
 */
import { ROOT, stopServer, watchRss } from './lib/child.js';
import { median } from './lib/common.js';
import { runLoad } from './lib/load.js';
import { dockerfileFlags, startShipped, verifyWeather, weatherRequest } from './lib/shipped.js';
import { startBenchIssuer } from './lib/tokens.js';

const argv = process.argv.slice(2);
const opt = (n: string, d: number) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? Number(argv.splice(i, 2)[1]) : d; };
const PAIRS = opt('pairs', 8);
const DURATION = opt('duration', 6);
const SHIPPED_FLAGS = dockerfileFlags();

interface Variant { name: string; env: Record<string, string>; flags: string[]; dist: string }
function parse(spec: string): Variant {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`variant "${spec}": expected name=ENV,…[;flags][@dist]`);
  let rest = spec.slice(eq + 1);
  let dist = 'services/mcp-server/dist';
  const at = rest.lastIndexOf('@');
  if (at >= 0) { dist = rest.slice(at + 1); rest = rest.slice(0, at); }
  const [envPart = '', flagPart] = rest.split(';');
  const env = Object.fromEntries(envPart.split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { name: spec.slice(0, eq), env, flags: flagPart === undefined ? SHIPPED_FLAGS : flagPart.split(' ').filter(Boolean), dist };
}
const variants = argv.map(parse);
if (variants.length < 2) throw new Error('give at least two variants (see the comment at the top of bench/ab.ts)');

const issuer = await startBenchIssuer();
const [token] = await issuer.mint(1);
const { headers, body } = weatherRequest();
const spec = (url: string) => ({ url, headers: { ...headers, authorization: `Bearer ${token}` }, body, verify: verifyWeather });

const rps: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
try {
  for (let p = 0; p < PAIRS; p++) {
    for (const v of p % 2 === 0 ? variants : [...variants].reverse()) {
      const child = await startShipped(`ab-${v.name}`, `${ROOT}/${v.dist}/main.js`, issuer.url, { flags: v.flags, env: v.env });
      try {
        await runLoad(spec(child.url), 32, 3);
        const rss = watchRss(child.pid);
        const r = await runLoad(spec(child.url), 32, DURATION);
        const { hwm } = rss.stop();
        if (r.bad > 0) throw new Error(`${v.name}: ${r.bad} bad responses ${JSON.stringify(r.statuses)}`);
        rps[v.name]!.push(r.rps);
        console.log(`pair ${p + 1}/${PAIRS} ${v.name}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(2)} ms, peak RSS ${(hwm / 1048576).toFixed(0)} MB`);
      } finally { await stopServer(child); }
    }
  }
} finally { await stopServer(issuer.child); }

const base = rps[variants[0]!.name]!;
for (const v of variants) {
  const ratios = rps[v.name]!.map((x, i) => x / base[i]!);
  console.log(`${v.name}: median req/s ${median(rps[v.name]!).toFixed(0)}; median per-pair ratio to ${variants[0]!.name} ${median(ratios).toFixed(3)} (${ratios.map((x) => x.toFixed(2)).join(', ')})`);
}
