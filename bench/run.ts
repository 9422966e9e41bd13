/**
 * `npm run bench` / `npm run bench:smoke`: start every server as its own process, drive it
 * from this process over loopback with autocannon, and print one table with ratios, the
 * targets (PASS/FAIL), the machine and the versions. See docs/benchmarks.md.
 *
 *   --smoke           seconds, not minutes: every server starts and answers a few hundred
 *                     requests; no thresholds
 *   --duration S      measured whole seconds per case (default 10)
 *   --warmup S        warm-up whole seconds per case, discarded (default 3; smoke 0)
 *   --connections N   concurrent connections (default 50; smoke 10)
 *   --only REGEX      run only the cases whose id matches (targets then partly n/a)
 *   --profile         also run the warm-JWT case under --cpu-prof and summarise it
 *   --profile-case ID profile that case instead (e.g. ours-list-500)
 *   --streams N       listen streams (default 1000; smoke 50)
 *   --tsx             run the servers through tsx instead of compiling them first
 *   --metrics-pairs N paired rounds of the warm-JWT case with metrics off and on, for the
 *                     metrics overhead (default 5; smoke 0)
 *   --soak            instead of the cases: one server under mixed traffic for --minutes
 *                     (default 10), RSS and event-loop delay sampled every second
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { buildServers } from './lib/build.js';
import { memoryOf, ROOT, startServer, stopServer, useCompiled, watchRss, type Child } from './lib/child.js';
import { CALL_PARAMS, legacyBody, legacyHeaders, LEGACY, modernBody, modernHeaders, RESOURCE, TOOL } from './lib/common.js';
import { runListen, type ListenResult } from './lib/listen.js';
import { messageOf, once, runLoad, type LoadResult } from './lib/load.js';
import { summarise } from './lib/profile.js';

const T0 = performance.now();
const argv = process.argv.slice(2);
const flag = (n: string) => argv.includes(`--${n}`);
const opt = (n: string) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : undefined; };
const SMOKE = flag('smoke');
const DURATION = Number(opt('duration') ?? 10);
const WARMUP = Number(opt('warmup') ?? (SMOKE ? 0 : 3));
// Smoke runs a fixed number of requests instead of a duration.
const AMOUNT = SMOKE ? 400 : undefined;
const CONNECTIONS = Number(opt('connections') ?? (SMOKE ? 10 : 50));
const STREAMS = Number(opt('streams') ?? (SMOKE ? 50 : 1000));
const ONLY = opt('only') ? new RegExp(opt('only')!) : undefined;
// Cold cache: more distinct tokens than the verifier's cache holds (10,000 entries, LRU), used
// round-robin, so every request misses. Smoke uses a small pool and says so.
const COLD_POOL = Number(opt('cold-pool') ?? (SMOKE ? 200 : 12_000));
const TOKEN_CACHE_ENTRIES = 10_000;

if (!flag('tsx')) useCompiled(await buildServers(ROOT));

// ---------------------------------------------------------------------------------------
// Tokens: the driver holds the RS256 key; the issuer child only publishes the public half.
const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
const issuerChild = await startServer('issuer', [], { env: { BENCH_JWK: JSON.stringify(jwk) } });
const ISSUER = issuerChild.url;

async function mint(n: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await new SignJWT({ scope: 'mcp:tools', client_id: 'bench-client', jti: `t${i}` })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'bench-1' })
      .setIssuer(ISSUER).setAudience(RESOURCE).setSubject(`user-${i % 100}`)
      .setIssuedAt(now).setExpirationTime(now + 3600).sign(privateKey));
  }
  return out;
}
if (flag('soak')) {
  // A separate run: one server under mixed traffic for --minutes (default 10); see bench/lib/soak.ts.
  const { runSoak, soakReport } = await import('./lib/soak.js');
  const minutes = Number(opt('minutes') ?? 10);
  log(`soak: ${minutes} min of mixed traffic against one server …`);
  const result = await runSoak({ issuer: ISSUER, tokens: await mint(120), minutes, log });
  const report = soakReport(result, minutes);
  process.stdout.write(`${report}\n`);
  mkdirSync(`${ROOT}/bench/results`, { recursive: true });
  writeFileSync(`${ROOT}/bench/results/soak.json`, JSON.stringify(result, null, 2));
  writeFileSync(`${ROOT}/bench/results/soak.md`, `${report}\n`);
  await stopServer(issuerChild);
  process.exit(result.pass ? 0 : 1);
}
const mintStart = performance.now();
const coldTokens = await mint(COLD_POOL);
const [warmToken] = await mint(1);
log(`minted ${COLD_POOL + 1} RS256 tokens in ${((performance.now() - mintStart) / 1000).toFixed(1)} s`);

// ---------------------------------------------------------------------------------------
// Cases.
interface Case {
  id: string;
  label: string;
  server: string;
  args?: string[];
  /** Headers and body of the measured request (prepare may add session headers). */
  request(extra: Record<string, string>): { headers: Record<string, string>; body: string };
  prepare?(url: string): Promise<Record<string, string>>;
  token?: 'warm' | 'cold';
  /** Check of one parsed response during validation. */
  check(result: Record<string, unknown>): string | undefined;
  /** Cheap per-response check during the load. */
  verify(body: string): boolean;
}

const callRequest = () => ({ headers: modernHeaders('tools/call', TOOL), body: modernBody('tools/call', CALL_PARAMS) });
const legacyCall = (extra: Record<string, string>) => ({ headers: { ...legacyHeaders(), ...extra }, body: legacyBody('tools/call', CALL_PARAMS) });
const echoed = (r: Record<string, unknown>) =>
  (r.content as { text?: string }[] | undefined)?.[0]?.text === 'hello' && r.isError !== true ? undefined : `not the echo result: ${JSON.stringify(r).slice(0, 200)}`;
const verifyCall = (b: string) => b.includes('"text":"hello"') && !b.includes('"isError":true') && !b.includes('"error":');
const listed = (n: number) => (r: Record<string, unknown>) => {
  const tools = r.tools as unknown[] | undefined;
  return tools?.length === n ? undefined : `expected ${n} tools on the page, got ${tools?.length}`;
};
const verifyList = (b: string) => b.includes('"tools":[') && !b.includes('"error":');

const jwtArgs = ['--auth', 'jwt', '--issuer', ISSUER];
const CASES: Case[] = [
  { id: 'bare-http', label: 'ceiling: bare node:http, JSON-RPC echo', server: 'bare-http', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'bare-express', label: 'ceiling: bare Express 5 + express.json()', server: 'bare-express', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'ours-call', label: 'ours: 2026-07-28 tools/call, unauthenticated', server: 'ours', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'ours-call-jwt-cold', label: 'ours: 2026-07-28 tools/call, RS256 JWT, cold cache', server: 'ours', args: jwtArgs, token: 'cold', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'ours-call-jwt-warm', label: 'ours: 2026-07-28 tools/call, RS256 JWT, warm cache', server: 'ours', args: jwtArgs, token: 'warm', request: callRequest, check: echoed, verify: verifyCall },
  {
    id: 'ours-session', label: 'ours: 2025-11-25 tools/call in a session', server: 'ours', args: ['--sessions'], request: legacyCall, check: echoed, verify: verifyCall,
    async prepare(url) {
      const init = await once(url, legacyHeaders(), legacyBody('initialize', { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } }));
      const sid = init.headers.get('mcp-session-id');
      if (init.status !== 200 || !sid) throw new Error(`initialize failed: ${init.status} ${init.text.slice(0, 200)}`);
      const ack = await once(url, legacyHeaders(sid), JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      if (ack.status !== 202) throw new Error(`notifications/initialized: ${ack.status}`);
      return { 'mcp-session-id': sid };
    },
  },
  { id: 'ours-call-jwt-warm-metrics', label: 'ours: 2026-07-28 tools/call, RS256 JWT, warm cache, metrics on', server: 'ours', args: [...jwtArgs, '--metrics'], token: 'warm', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'ours-list-5', label: 'ours: 2026-07-28 tools/list, 5 tools', server: 'ours', args: ['--tools', '5'], request: () => ({ headers: modernHeaders('tools/list'), body: modernBody('tools/list') }), check: listed(5), verify: verifyList },
  { id: 'ours-list-500', label: 'ours: tools/list, 500 tools (first page of 100)', server: 'ours', args: ['--tools', '500'], request: () => ({ headers: modernHeaders('tools/list'), body: modernBody('tools/list') }), check: listed(100), verify: verifyList },
  { id: 'ours-list-500-one-page', label: 'ours: tools/list, 500 tools in one page', server: 'ours', args: ['--tools', '500', '--page-size', '500'], request: () => ({ headers: modernHeaders('tools/list'), body: modernBody('tools/list') }), check: listed(500), verify: verifyList },
  { id: 'sdk-v2', label: 'SDK v2: createMcpHandler on Express, unauthenticated', server: 'sdk-v2', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'sdk-v1', label: 'SDK v1: stateless McpServer + transport per request', server: 'sdk-v1', request: () => legacyCall({}), check: echoed, verify: verifyCall },
];

interface Row { id: string; label: string; load: LoadResult; peakRss: number; hwm: number; readyMs: number; note?: string }

async function validate(c: Case, child: Child, headers: Record<string, string>, body: string): Promise<void> {
  const r = await once(child.url, headers, body);
  const msg = messageOf(r.text);
  const problem = r.status !== 200 ? `HTTP ${r.status}` : !msg?.result ? 'no JSON-RPC result' : c.check(msg.result) ?? (c.verify(r.text) ? undefined : 'body check failed');
  if (problem) throw new Error(`${c.id}: validation failed (${problem}): ${r.text.slice(0, 300)}`);
  if (c.token) {
    // Prove authentication is really on: the same request without a token is refused.
    const { authorization: _a, ...anonymous } = headers;
    const r401 = await once(child.url, anonymous, body);
    if (r401.status !== 401) throw new Error(`${c.id}: expected 401 without a token, got ${r401.status}`);
  }
}

/**
 * Our server runs with the V8 flags it ships with: the ones docker/Dockerfile's ENTRYPOINT
 * passes to node (read from there, so the bench measures what is deployed). Other servers
 * run with node's defaults, as their documentation deploys them.
 */
const SHIPPED_FLAGS = (() => {
  const m = /^ENTRYPOINT \[(.*)\]$/m.exec(readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8'));
  const argv = m ? (JSON.parse(`[${m[1]}]`) as string[]) : [];
  return argv.slice(1).filter((a) => a.startsWith('--'));
})();

async function runCase(c: Case, extraFlags: string[] = []): Promise<Row> {
  const nodeFlags = c.server === 'ours' ? [...SHIPPED_FLAGS, ...extraFlags] : extraFlags;
  const child = await startServer(c.server, c.args, { nodeFlags });
  try {
    const extra = (await c.prepare?.(child.url)) ?? {};
    const { headers: base, body } = c.request(extra);
    const headers = c.token === 'warm' ? { ...base, authorization: `Bearer ${warmToken}` } : c.token === 'cold' ? { ...base, authorization: `Bearer ${coldTokens[0]}` } : base;
    await validate(c, child, headers, body);
    const spec = { url: child.url, headers, body, verify: c.verify, ...(c.token === 'cold' ? { rotate: coldTokens } : {}) };
    if (WARMUP > 0) await runLoad(spec, CONNECTIONS, WARMUP);
    const watch = watchRss(child.pid);
    const load = await runLoad(spec, CONNECTIONS, DURATION, AMOUNT);
    const mem = watch.stop();
    let note: string | undefined;
    if (c.token === 'cold') {
      const used = Math.round(load.requests + WARMUP * load.rps) + 2;
      note = COLD_POOL > TOKEN_CACHE_ENTRIES || used <= COLD_POOL ? `every request a cache miss (${COLD_POOL} tokens round-robin)` : `pool of ${COLD_POOL} tokens reused: NOT all misses (smoke)`;
    }
    return { id: c.id, label: c.label, load, peakRss: mem.peakRss, hwm: mem.hwm, readyMs: child.readyMs, note };
  } finally {
    await stopServer(child);
  }
}

// ---------------------------------------------------------------------------------------
// Start-up to ready with the issuer answering: spawn → READY (keys fetched, listening) →
// first successful authenticated tools/call.
async function measureStartup(runs: number): Promise<{ readyMs: number[]; firstMs: number[]; inProcessMs: number[] }> {
  const out = { readyMs: [] as number[], firstMs: [] as number[], inProcessMs: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const child = await startServer('ours', jwtArgs);
    const readyAt = performance.now();
    const { headers, body } = callRequest();
    const r = await once(child.url, { ...headers, authorization: `Bearer ${warmToken}` }, body);
    const firstAt = performance.now();
    await stopServer(child);
    if (r.status !== 200) throw new Error(`start-up: first request got ${r.status}`);
    out.readyMs.push(readyAt - t0);
    out.firstMs.push(firstAt - t0);
    out.inProcessMs.push(child.inProcessMs);
  }
  return out;
}

async function measureListen(): Promise<ListenResult> {
  const child = await startServer('ours', [], { nodeFlags: ['--expose-gc'] });
  try {
    return await runListen(child.url, child.pid, STREAMS, SMOKE ? 2 : 5);
  } finally {
    await stopServer(child);
  }
}

// ---------------------------------------------------------------------------------------
function log(s: string): void { process.stderr.write(`[${((performance.now() - T0) / 1000).toFixed(1).padStart(5)} s] ${s}\n`); }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b: number) => (b / 1048576).toFixed(0);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

function versionOf(pkg: string): string {
  try { return (JSON.parse(readFileSync(`${ROOT}/node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version; } catch { return '?'; }
}
function git(args: string[]): string {
  try { return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return '?'; }
}

const started = new Date();
const load0 = os.loadavg();
log(`bench: ${SMOKE ? `SMOKE run, ${AMOUNT} requests per case` : `full run, ${WARMUP} s warm-up + ${DURATION} s per case`}, ${CONNECTIONS} connections`);

const rows: Row[] = [];
const failures: string[] = [];
for (const c of CASES) {
  if (ONLY && !ONLY.test(c.id)) continue;
  log(`  ${c.id} …`);
  try {
    const row = await runCase(c);
    rows.push(row);
    log(`    ${row.load.rps.toFixed(0)} req/s, p50 ${f2(row.load.p50)} ms, p99 ${f2(row.load.p99)} ms, peak RSS ${mb(row.peakRss)} MB, bad ${row.load.bad}`);
    if (row.load.bad > 0) failures.push(`${c.id}: ${row.load.bad} bad responses ${JSON.stringify(row.load.statuses)}`);
  } catch (e) {
    failures.push(`${c.id}: ${e instanceof Error ? e.message : String(e)}`);
    log(`    FAILED: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// Metrics overhead: absolute req/s drift by several % between runs on a small machine, so the
// off and on cases run back to back in pairs (order alternating) and the ratio is per pair.
const PAIRS = Number(opt('metrics-pairs') ?? (SMOKE ? 0 : 5));
const metricsRatios: number[] = [];
if (PAIRS > 0 && (!ONLY || ONLY.test('metrics-overhead'))) {
  const off = CASES.find((c) => c.id === 'ours-call-jwt-warm')!;
  const on = CASES.find((c) => c.id === 'ours-call-jwt-warm-metrics')!;
  for (let i = 0; i < PAIRS; i++) {
    log(`  metrics overhead, pair ${i + 1}/${PAIRS} …`);
    try {
      const [a, b] = i % 2 === 0 ? [off, on] : [on, off];
      const first = await runCase(a);
      const second = await runCase(b);
      const [rOff, rOn] = a === off ? [first, second] : [second, first];
      metricsRatios.push(rOn.load.rps / rOff.load.rps);
      log(`    off ${rOff.load.rps.toFixed(0)} req/s, on ${rOn.load.rps.toFixed(0)} req/s: ${(100 * (1 - rOn.load.rps / rOff.load.rps)).toFixed(1)} % cost`);
    } catch (e) { failures.push(`metrics-overhead: ${String(e)}`); }
  }
}

let startup: Awaited<ReturnType<typeof measureStartup>> | undefined;
let listen: ListenResult | undefined;
if (!ONLY || ONLY.test('startup')) {
  log('  start-up …');
  try { startup = await measureStartup(SMOKE ? 1 : 5); } catch (e) { failures.push(`startup: ${String(e)}`); }
}
if (!ONLY || ONLY.test('listen')) {
  log(`  ${STREAMS} subscriptions/listen streams …`);
  try { listen = await measureListen(); } catch (e) { failures.push(`listen: ${String(e)}`); }
}

let profile: ReturnType<typeof summarise> | undefined;
const PROFILE_CASE = opt('profile-case') ?? 'ours-call-jwt-warm';
if (flag('profile') || opt('profile-case')) {
  log(`  profiling ${PROFILE_CASE} under --cpu-prof …`);
  const dir = `${ROOT}/bench/.profiles`;
  mkdirSync(dir, { recursive: true });
  const name = `${PROFILE_CASE}-${Date.now()}.cpuprofile`;
  const c = CASES.find((x) => x.id === PROFILE_CASE);
  if (!c) throw new Error(`--profile-case: no case ${PROFILE_CASE}`);
  await runCase(c, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name]);
  if (readdirSync(dir).includes(name)) profile = summarise(`${dir}/${name}`, 25);
  else failures.push('profile: no .cpuprofile was written');
}
await stopServer(issuerChild);

// ---------------------------------------------------------------------------------------
// Report.
const by = (id: string) => rows.find((r) => r.id === id);
const express = by('bare-express');
const lines: string[] = [];
const out = (s = '') => lines.push(s);
out(`## Results${SMOKE ? ' (SMOKE run: too short to mean anything, targets not evaluated)' : ''}`);
out();
out(`${started.toISOString()} · ${CONNECTIONS} connections · ${SMOKE ? `${AMOUNT} requests per case` : `${WARMUP} s warm-up + ${DURATION} s measured per case`} · loopback · autocannon in a separate process`);
out();
out('| Case | req/s | × Express | p50 ms | p99 ms | peak RSS MB |');
out('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  out(`| ${r.label}${r.note ? ` — ${r.note}` : ''} | ${r.load.rps.toFixed(0)} | ${express ? f2(r.load.rps / express.load.rps) : 'n/a'} | ${f2(r.load.p50)} | ${f2(r.load.p99)} | ${mb(r.hwm)} |`);
}
out();
if (startup) out(`Start-up to ready (ours, JWT, issuer answering; median of ${startup.readyMs.length}): spawn → READY ${f1(median(startup.readyMs))} ms (in-process ${f1(median(startup.inProcessMs))} ms${flag('tsx') ? ', under tsx' : ''}), spawn → first authenticated tools/call ${f1(median(startup.firstMs))} ms.`);
if (listen) {
  out(`subscriptions/listen: ${listen.streams} streams opened in ${f1(listen.openMs)} ms; server RSS ${mb(listen.rssBefore)} → ${mb(listen.rssAfter)} MB = ${f1(listen.rssPerStream / 1024)} KB/stream (heap ${f1(listen.heapPerStream / 1024)} KB/stream after GC); ` +
    `list_changed reached all streams in ${listen.fanoutMs.map(f1).join(', ')} ms (first stream ${listen.firstMs.map(f1).join(', ')} ms); missed ${listen.missed}.`);
}
if (metricsRatios.length) out(`Metrics overhead (warm-JWT tools/call, ${metricsRatios.length} paired rounds, on/off req/s): ${metricsRatios.map((r) => `${(100 * (1 - r)).toFixed(1)} %`).join(', ')}; median cost ${(100 * (1 - median(metricsRatios))).toFixed(1)} %.`);
out();

interface Target { name: string; value: string; pass: boolean | undefined }
const targets: Target[] = [];
const warm = by('ours-call-jwt-warm');
const v2 = by('sdk-v2');
const l5 = by('ours-list-5');
const l500 = by('ours-list-500');
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined);
const target = (name: string, v: number | undefined, ok: (v: number) => boolean, fmt: (v: number) => string) =>
  targets.push({ name, value: v === undefined ? 'n/a' : fmt(v), pass: v === undefined ? undefined : ok(v) });
target('warm-JWT tools/call ≥ 3× SDK v2 (unauthenticated) req/s', ratio(warm?.load.rps, v2?.load.rps), (v) => v >= 3, (v) => `${f2(v)}×`);
target('warm-JWT tools/call ≥ 75% of bare Express req/s', ratio(warm?.load.rps, express?.load.rps), (v) => v >= 0.75, (v) => `${(100 * v).toFixed(0)}%`);
target('warm-JWT tools/call p99 ≤ 2× bare Express p99', ratio(warm?.load.p99, express?.load.p99), (v) => v <= 2, (v) => `${f2(v)}×`);
target('tools/list 500 tools ≥ 50% of 5 tools req/s', ratio(l500?.load.rps, l5?.load.rps), (v) => v >= 0.5, (v) => `${(100 * v).toFixed(0)}%`);
const ours = rows.filter((r) => r.id.startsWith('ours-'));
target('peak RSS under load ≤ 150 MB (max over our cases)', ours.length ? Math.max(...ours.map((r) => r.hwm)) / 1048576 : undefined, (v) => v <= 150, (v) => `${v.toFixed(0)} MB`);
target(`${STREAMS} listen streams < 50 KB each (server RSS)`, listen ? listen.rssPerStream / 1024 : undefined, (v) => v < 50, (v) => `${v.toFixed(1)} KB`);
target('list_changed reaches all streams ≤ 100 ms (worst trigger)', listen ? Math.max(...listen.fanoutMs) + (listen.missed > 0 ? Infinity : 0) : undefined, (v) => v <= 100, (v) => `${f1(v)} ms`);
target('metrics cost < 3% of warm-JWT tools/call req/s (median of paired rounds)', metricsRatios.length ? 100 * (1 - median(metricsRatios)) : undefined, (v) => v < 3, (v) => `${v.toFixed(1)} %`);
target('start-up to ready < 1 s (issuer answering, median)', startup ? median(startup.readyMs) : undefined, (v) => v < 1000, (v) => `${v.toFixed(0)} ms`);
out('| Target | Measured | Result |');
out('|---|---:|:---:|');
for (const t of targets) out(`| ${t.name} | ${t.value} | ${SMOKE ? '(smoke)' : t.pass === undefined ? 'n/a' : t.pass ? 'PASS' : 'FAIL'} |`);
out();

if (profile) {
  out(`### Profile: ${PROFILE_CASE} (server process, --cpu-prof, busy ${(profile.busy / 1000).toFixed(1)} s)`);
  out();
  out('| Area | self % |');
  out('|---|---:|');
  for (const a of profile.areas.filter((x) => x.pct >= 0.5)) out(`| ${a.name} | ${f1(a.pct)} |`);
  out();
  out('| Function | where | self % |');
  out('|---|---|---:|');
  for (const f of profile.functions) out(`| ${f.name} | ${f.where} | ${f1(f.pct)} |`);
  out();
}

const cpus = os.cpus();
out('### Machine and versions');
out();
out(`- ${cpus.length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 1073741824).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; load average before ${load0.map(f2).join(' ')}, after ${os.loadavg().map(f2).join(' ')}`);
out(`- Node ${process.version}; our server ${git(['rev-parse', '--short', 'HEAD'])}; express ${versionOf('express')}, jose ${versionOf('jose')}, zod ${versionOf('zod')}; @modelcontextprotocol/server ${versionOf('@modelcontextprotocol/server')}, /express ${versionOf('@modelcontextprotocol/express')}, /node ${versionOf('@modelcontextprotocol/node')}, /sdk ${versionOf('@modelcontextprotocol/sdk')}; autocannon ${versionOf('autocannon')}, tsx ${versionOf('tsx')}`);
out();

console.log(lines.join('\n'));
mkdirSync(`${ROOT}/bench/results`, { recursive: true });
writeFileSync(`${ROOT}/bench/results/${SMOKE ? 'smoke' : 'latest'}.json`, JSON.stringify({ started, smoke: SMOKE, connections: CONNECTIONS, duration: DURATION, rows, startup, listen, targets, profile, failures, memoryOfDriver: memoryOf(process.pid) }, null, 2));
if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
