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
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ROOT, startServer, stopServer, watchRss } from './lib/child.js';
import { freePort, startExternal } from './lib/external.js';
import { modernBody, modernHeaders, RESOURCE } from './lib/common.js';
import { runLoad } from './lib/load.js';

const argv = process.argv.slice(2);
const opt = (n: string, d: number) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? Number(argv.splice(i, 2)[1]) : d; };
const PAIRS = opt('pairs', 8);
const DURATION = opt('duration', 6);
const SHIPPED_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=100'];

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

const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
const issuer = await startServer('issuer', [], { env: { BENCH_JWK: JSON.stringify(jwk) } });
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ scope: 'mcp:tools', client_id: 'bench-client' })
  .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'bench-1' })
  .setIssuer(issuer.url).setAudience(RESOURCE).setSubject('user-1').setIssuedAt(now).setExpirationTime(now + 3600).sign(privateKey);

const rps: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
try {
  for (let p = 0; p < PAIRS; p++) {
    for (const v of p % 2 === 0 ? variants : [...variants].reverse()) {
      const port = await freePort();
      const child = await startExternal(`ab-${v.name}`, process.execPath, [...v.flags, `${ROOT}/${v.dist}/main.js`], {
        // As bench/run.ts starts the shipped binary; the rate limit lifted so one token can run at full speed.
        env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', MCP_AUTH_ISSUERS: issuer.url, MCP_RESOURCE_URI: RESOURCE, MCP_RATE_LIMIT_MAX: '1000000000', ...v.env },
        probe: `http://127.0.0.1:${port}/healthz`, url: `http://127.0.0.1:${port}/mcp`,
      });
      try {
        const spec = {
          url: child.url, headers: { ...modernHeaders('tools/call', 'get_weather'), authorization: `Bearer ${token}` },
          body: modernBody('tools/call', { name: 'get_weather', arguments: { location: 'hello' } }), verify: (b: string) => b.includes('"location":"hello"'),
        };
        await runLoad(spec, 32, 3);
        const rss = watchRss(child.pid);
        const r = await runLoad(spec, 32, DURATION);
        const { hwm } = rss.stop();
        if (r.bad > 0) throw new Error(`${v.name}: ${r.bad} bad responses ${JSON.stringify(r.statuses)}`);
        rps[v.name]!.push(r.rps);
        console.log(`pair ${p + 1}/${PAIRS} ${v.name}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(2)} ms, peak RSS ${(hwm / 1048576).toFixed(0)} MB`);
      } finally { await stopServer(child); }
    }
  }
} finally { await stopServer(issuer); }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const base = rps[variants[0]!.name]!;
for (const v of variants) {
  const ratios = rps[v.name]!.map((x, i) => x / base[i]!);
  console.log(`${v.name}: median req/s ${median(rps[v.name]!).toFixed(0)}; median per-pair ratio to ${variants[0]!.name} ${median(ratios).toFixed(3)} (${ratios.map((x) => x.toFixed(2)).join(', ')})`);
}
