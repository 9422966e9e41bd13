/**
 * `npm run bench` / `npm run bench:smoke`: start every server as its own process, drive it
 * from this process over loopback with autocannon, and print one table with ratios, the
 * targets (PASS/FAIL), the machine and the versions. See docs/benchmarks.md.
 *
 *   --smoke           seconds, not minutes: every server starts and answers a few hundred
 *                     requests; no thresholds
 *   --duration S      measured whole seconds per case (default 10)
 *   --warmup S        warm-up whole seconds per case, discarded (default 3; smoke 0)
 *   --connections N   concurrent connections (default 32, as issue #11 measured; smoke 10)
 *   --rounds N        measured rounds per case in the same server process after the warm-up;
 *                     the best (highest req/s) is reported (default 2; smoke 1)
 *   --only REGEX      run only the cases whose id matches (targets then partly n/a)
 *   --profile         also run the warm-JWT case under --cpu-prof and summarise it
 *   --profile-case ID profile that case instead (e.g. ours-list-500)
 *   --streams N       listen streams (default 1000; smoke 50)
 *   --tsx             run the servers through tsx instead of compiling them first
 *   --node-flags 'F'  extra V8/node flags for our server (both the library and the shipped
 *                     binary), after the Dockerfile's: to measure a flag before shipping it
 *   --metrics-pairs N paired rounds of the warm-JWT case with metrics off and on, for the
 *                     metrics overhead (default 5; smoke 0)
 *   --ratio-rounds N  interleaved rounds of the ratio targets' cases (the shipped binary at
 *                     info and warn, both ceilings, SDK v2 with auth): one measured round each,
 *                     order rotating; those targets are the median of the per-round ratios
 *                     (default 5; smoke 0; 0 takes them from the table instead)
 *   --soak            instead of the cases: one server under mixed traffic for --minutes
 *                     (default 10), RSS and event-loop delay sampled every second
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { buildServers } from './lib/build.js';
import { buildShipped, freePort, startExternal } from './lib/external.js';
import { pythonEnv, type PythonEnv } from './lib/python.js';
import { memoryOf, ROOT, startServer, stopServer, useCompiled, watchRss, type Child } from './lib/child.js';
import { CALL_PARAMS, legacyBody, legacyHeaders, LEGACY, median, modernBody, modernHeaders, RESOURCE, TOOL } from './lib/common.js';
import { runListen, type ListenResult } from './lib/listen.js';
import { messageOf, once, runLoad, type LoadResult } from './lib/load.js';
import { summarise } from './lib/profile.js';
import { dockerfileFlags, startShipped, verifyWeather, weatherRequest } from './lib/shipped.js';
import { startBenchIssuer } from './lib/tokens.js';

const T0 = performance.now();
const argv = process.argv.slice(2);
const flag = (n: string) => argv.includes(`--${n}`);
const opt = (n: string) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : undefined; };
const SMOKE = flag('smoke');
const DURATION = Number(opt('duration') ?? 10);
const WARMUP = Number(opt('warmup') ?? (SMOKE ? 0 : 3));
// Smoke runs a fixed number of requests instead of a duration.
const AMOUNT = SMOKE ? 400 : undefined;
const CONNECTIONS = Number(opt('connections') ?? (SMOKE ? 10 : 32));
// Best of ROUNDS measured rounds per case (issue #11: best of two 10-second rounds).
const ROUNDS = Math.max(1, Number(opt('rounds') ?? (SMOKE ? 1 : 2)));
const STREAMS = Number(opt('streams') ?? (SMOKE ? 50 : 1000));
const ONLY = opt('only') ? new RegExp(opt('only')!) : undefined;
// Cold cache: more distinct tokens than the verifier's cache holds (10,000 entries, LRU), used
// round-robin, so every request misses. Smoke uses a small pool and says so.
const COLD_POOL = Number(opt('cold-pool') ?? (SMOKE ? 200 : 12_000));
const TOKEN_CACHE_ENTRIES = 10_000;
// Interleaved rounds of the ratio targets' cases (see the report); with --only, when it matches 'ratio-rounds'.
const RATIO_ROUNDS = ONLY && !ONLY.test('ratio-rounds') ? 0 : Number(opt('ratio-rounds') ?? (SMOKE ? 0 : 5));

const COMPILED = flag('tsx') ? undefined : await buildServers(ROOT);
if (COMPILED) useCompiled(COMPILED);
// The shipped binary is tsc's dist/main.js (`npm run build`, about 10 s). Smoke runs, which only
// check that every server answers, take the same src/main.ts from the esbuild tree above instead.
const SHIPPED_MAIN = SMOKE && COMPILED ? `${COMPILED}/services/mcp-server/src/main.js` : 'services/mcp-server/dist/main.js';
const SHIPPED_LABEL = SHIPPED_MAIN.endsWith('dist/main.js') ? 'dist/main.js' : 'src/main.ts through esbuild, smoke';

// ---------------------------------------------------------------------------------------
// Tokens: the driver holds the RS256 key; the issuer child only publishes the public half.
const issuer = await startBenchIssuer();
const issuerChild = issuer.child;
const ISSUER = issuer.url;
const mint = issuer.mint;
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
// The cold pool only when the cold case runs (12,000 RS256 signatures take seconds).
const coldTokens = await mint(!ONLY || ONLY.test('ours-call-jwt-cold') ? COLD_POOL : 1);
const [warmToken] = await mint(1);
log(`minted ${coldTokens.length + 1} RS256 tokens in ${((performance.now() - mintStart) / 1000).toFixed(1)} s`);

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
  /** Start a server the bench does not compile (shipped binary, Python peers) instead of `server`. */
  start?(nodeFlags: string[]): Promise<Child>;
  /** Which group of the report the case belongs to; `python` cases need the venv. */
  group?: 'python';
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
// http-mcp returns a tool's pydantic output model: structuredContent {"text": ...}, its JSON as the text.
const echoedStructured = (r: Record<string, unknown>) =>
  (r.structuredContent as { text?: string } | undefined)?.text === 'hello' && r.isError !== true ? undefined : `not the echo result: ${JSON.stringify(r).slice(0, 200)}`;

// The shipped binary is driven with get_weather (lib/shipped.ts).
const weathered = (r: Record<string, unknown>) =>
  (r.structuredContent as { location?: string } | undefined)?.location === 'hello' && r.isError !== true ? undefined : `not the get_weather result: ${JSON.stringify(r).slice(0, 200)}`;

/** The shipped binary (lib/shipped.ts) with its default audit logging at `level`. */
function startShippedAt(level: 'info' | 'warn', extraFlags: string[] = []): Promise<Child> {
  return startShipped(`shipped-${level}`, SHIPPED_MAIN, ISSUER, { flags: [...SHIPPED_FLAGS, ...extraFlags], env: { LOG_LEVEL: level } });
}

/** A Python peer from bench/servers/<script>.py in the venv, served by uvicorn (one worker) on a free port. */
async function startPython(script: 'fastmcp_server' | 'http_mcp_server', jwt: boolean): Promise<Child> {
  if (!py?.python) throw new Error(`Python peers skipped: ${py?.skip ?? 'no venv'}`);
  const port = await freePort();
  // http-mcp is a Starlette Mount at /mcp, which answers on /mcp/ (POST /mcp gets a 307).
  const path = script === 'http_mcp_server' ? '/mcp/' : '/mcp';
  return startExternal(`${script}${jwt ? '-jwt' : ''}`, py.python, [`bench/servers/${script}.py`, '--port', String(port), ...(jwt ? ['--issuer', ISSUER, '--resource', RESOURCE] : [])], {
    env: {}, probe: `http://127.0.0.1:${port}/`, url: `http://127.0.0.1:${port}${path}`,
  });
}

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
  { id: 'shipped-info', label: `ours, shipped binary (${SHIPPED_LABEL}), LOG_LEVEL=info: 2026-07-28 tools/call get_weather, RS256 JWT, warm cache`, server: 'shipped', token: 'warm', request: weatherRequest, check: weathered, verify: verifyWeather, start: (f) => startShippedAt('info', f) },
  { id: 'shipped-warn', label: `ours, shipped binary (${SHIPPED_LABEL}), LOG_LEVEL=warn: same`, server: 'shipped', token: 'warm', request: weatherRequest, check: weathered, verify: verifyWeather, start: (f) => startShippedAt('warn', f) },
  { id: 'sdk-v2', label: 'SDK v2: createMcpHandler on Express, 2026-07-28 tools/call, unauthenticated', server: 'sdk-v2', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'sdk-v2-jwt', label: 'SDK v2: createMcpHandler on Express, 2026-07-28 tools/call, requireBearerAuth + jose remote JWKS, warm token', server: 'sdk-v2', args: ['--issuer', ISSUER], token: 'warm', request: callRequest, check: echoed, verify: verifyCall },
  { id: 'sdk-v1', label: 'SDK v1: stateless McpServer + transport per request, 2025-11-25 tools/call (SSE), unauthenticated', server: 'sdk-v1', request: () => legacyCall({}), check: echoed, verify: verifyCall },
  { id: 'fastmcp', label: 'FastMCP: mcp.run(transport="http"), 2026-07-28 tools/call (stateless, no session), unauthenticated', server: 'fastmcp', group: 'python', request: callRequest, check: echoed, verify: verifyCall, start: () => startPython('fastmcp_server', false) },
  { id: 'fastmcp-jwt', label: 'FastMCP: mcp.run(transport="http"), 2026-07-28 tools/call, JWTVerifier (JWKS), warm token', server: 'fastmcp', group: 'python', token: 'warm', request: callRequest, check: echoed, verify: verifyCall, start: () => startPython('fastmcp_server', true) },
  { id: 'http-mcp', label: 'http-mcp: MCPServer in Starlette on uvicorn, 2026-07-28 tools/call, unauthenticated', server: 'http-mcp', group: 'python', request: callRequest, check: echoedStructured, verify: verifyCall, start: () => startPython('http_mcp_server', false) },
  { id: 'http-mcp-jwt', label: 'http-mcp: auth_mcp create_protected_mcp_app + PyJWT JWKS validator, 2026-07-28 tools/call, warm token', server: 'http-mcp', group: 'python', token: 'warm', request: callRequest, check: echoedStructured, verify: verifyCall, start: () => startPython('http_mcp_server', true) },
];

interface Row { id: string; label: string; load: LoadResult; rounds: number[]; peakRss: number; hwm: number; readyMs: number; note?: string }

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
const SHIPPED_FLAGS = [...dockerfileFlags(), ...(opt('node-flags')?.split(' ').filter(Boolean) ?? [])];

async function runCase(c: Case, extraFlags: string[] = [], rounds = ROUNDS): Promise<Row> {
  const nodeFlags = c.server === 'ours' ? [...SHIPPED_FLAGS, ...extraFlags] : extraFlags;
  const child = c.start ? await c.start(extraFlags) : await startServer(c.server, c.args, { nodeFlags });
  try {
    const extra = (await c.prepare?.(child.url)) ?? {};
    const { headers: base, body } = c.request(extra);
    const headers = c.token === 'warm' ? { ...base, authorization: `Bearer ${warmToken}` } : c.token === 'cold' ? { ...base, authorization: `Bearer ${coldTokens[0]}` } : base;
    await validate(c, child, headers, body);
    const spec = { url: child.url, headers, body, verify: c.verify, ...(c.token === 'cold' ? { rotate: coldTokens } : {}) };
    if (WARMUP > 0) await runLoad(spec, CONNECTIONS, WARMUP);
    const watch = watchRss(child.pid);
    const results: LoadResult[] = [];
    for (let i = 0; i < rounds; i++) results.push(await runLoad(spec, CONNECTIONS, DURATION, AMOUNT));
    const mem = watch.stop();
    // The best round (highest req/s) with its latencies; a bad response in any round counts.
    const best = results.reduce((a, b) => (b.rps > a.rps ? b : a));
    const load = { ...best, bad: results.reduce((n, r) => n + r.bad, 0) };
    let note: string | undefined;
    if (c.token === 'cold') {
      const used = Math.round(results.reduce((n, r) => n + r.requests, 0) + WARMUP * load.rps) + 2;
      note = COLD_POOL > TOKEN_CACHE_ENTRIES || used <= COLD_POOL ? `every request a cache miss (${COLD_POOL} tokens round-robin)` : `pool of ${COLD_POOL} tokens reused: NOT all misses (smoke)`;
    }
    return { id: c.id, label: c.label, load, rounds: results.map((r) => r.rps), peakRss: mem.peakRss, hwm: mem.hwm, readyMs: child.readyMs, note };
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
log(`bench: ${SMOKE ? `SMOKE run, ${AMOUNT} requests per case` : `full run, ${WARMUP} s warm-up + best of ${ROUNDS} × ${DURATION} s per case`}, ${CONNECTIONS} connections`);

const rows: Row[] = [];
const failures: string[] = [];
const selected = CASES.filter((c) => !ONLY || ONLY.test(c.id));
// The shipped binary is what `npm run build` emits from the working tree.
if (SHIPPED_MAIN.endsWith('dist/main.js') && (RATIO_ROUNDS > 0 || selected.some((c) => c.server === 'shipped'))) {
  log('  npm run build (the shipped binary) …');
  const problem = buildShipped();
  if (problem) { failures.push(`shipped binary: ${problem}`); log(`    ${problem}`); }
}
// The Python peers need a venv with a Python >= 3.12; without one they are skipped, loudly.
let py: PythonEnv | undefined;
const skipped: string[] = [];
if (selected.some((c) => c.group === 'python')) {
  py = pythonEnv(log, SMOKE ? 120_000 : 300_000);
  if (py.skip) {
    const line = `SKIPPED the Python peers (FastMCP, http-mcp): ${py.skip}`;
    skipped.push(line);
    log(`  !!! ${line}`);
  }
  // The peers' versions belong in their rows.
  for (const c of CASES) {
    if (c.group !== 'python') continue;
    const v = c.server === 'fastmcp' ? py.versions.fastmcp : py.versions['http-mcp'];
    if (v) c.label = c.label.replace(/^(FastMCP|http-mcp):/, `$1 ${v}:`);
  }
}
for (const c of selected) {
  if (c.group === 'python' && py?.skip) continue;
  log(`  ${c.id} …`);
  try {
    const row = await runCase(c);
    rows.push(row);
    log(`    ${row.load.rps.toFixed(0)} req/s${row.rounds.length > 1 ? ` (rounds ${row.rounds.map((r) => r.toFixed(0)).join(', ')})` : ''}, p50 ${f2(row.load.p50)} ms, p99 ${f2(row.load.p99)} ms, peak RSS ${mb(row.peakRss)} MB, bad ${row.load.bad}`);
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
      // One round each: the pair is the unit here, not the best of rounds.
      const first = await runCase(a, [], 1);
      const second = await runCase(b, [], 1);
      const [rOff, rOn] = a === off ? [first, second] : [second, first];
      metricsRatios.push(rOn.load.rps / rOff.load.rps);
      log(`    off ${rOff.load.rps.toFixed(0)} req/s, on ${rOn.load.rps.toFixed(0)} req/s: ${(100 * (1 - rOn.load.rps / rOff.load.rps)).toFixed(1)} % cost`);
    } catch (e) { failures.push(`metrics-overhead: ${String(e)}`); }
  }
}

// Ratio targets: the host's speed drifts by ±20 % over minutes here, more than most margins,
// and the table's cases run minutes apart. Each round runs every case of a ratio once,
// back to back in a rotating order, and a target is the median of its per-round ratios.
const RATIO_CASES = ['shipped-info', 'shipped-warn', 'bare-express', 'bare-http', 'sdk-v2-jwt'];
const ratioRounds: Record<string, Row>[] = [];
if (RATIO_ROUNDS > 0) {
  const group = RATIO_CASES.map((id) => CASES.find((c) => c.id === id)!);
  for (let i = 0; i < RATIO_ROUNDS; i++) {
    const order = [...group.slice(i % group.length), ...group.slice(0, i % group.length)];
    log(`  ratio round ${i + 1}/${RATIO_ROUNDS}: ${order.map((c) => c.id).join(', ')} …`);
    const round: Record<string, Row> = {};
    try {
      for (const c of order) round[c.id] = await runCase(c, [], 1);
      ratioRounds.push(round);
      log(`    ${order.map((c) => `${c.id} ${round[c.id]!.load.rps.toFixed(0)}`).join(', ')} req/s`);
    } catch (e) { failures.push(`ratio round ${i + 1}: ${e instanceof Error ? e.message : String(e)}`); }
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
out(`${started.toISOString()} · ${CONNECTIONS} connections · ${SMOKE ? `${AMOUNT} requests per case` : `${WARMUP} s warm-up + best of ${ROUNDS} × ${DURATION} s measured per case (same server process)`} · loopback · autocannon in the driver process`);
out();
for (const line of skipped) out(`**${line}**`);
if (skipped.length) out();
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
if (ratioRounds.length) {
  out(`Interleaved rounds (one ${DURATION} s round per case, order rotating), req/s: ${ratioRounds.map((r, i) => `${i + 1}: ${RATIO_CASES.map((id) => `${id} ${r[id]!.load.rps.toFixed(0)}`).join(', ')}`).join('; ')}.`);
  out(`Per-round ratios: info/Express ${ratioRounds.map((r) => f2(r['shipped-info']!.load.rps / r['bare-express']!.load.rps)).join(', ')}; info/node:http ${ratioRounds.map((r) => f2(r['shipped-info']!.load.rps / r['bare-http']!.load.rps)).join(', ')}; info/warn ${ratioRounds.map((r) => f2(r['shipped-info']!.load.rps / r['shipped-warn']!.load.rps)).join(', ')}; info/SDK v2 ${ratioRounds.map((r) => f2(r['shipped-info']!.load.rps / r['sdk-v2-jwt']!.load.rps)).join(', ')}; p99 info/Express ${ratioRounds.map((r) => f2(r['shipped-info']!.load.p99 / r['bare-express']!.load.p99)).join(', ')}.`);
}
if (metricsRatios.length) out(`Metrics overhead (warm-JWT tools/call, ${metricsRatios.length} paired rounds, on/off req/s): ${metricsRatios.map((r) => `${(100 * (1 - r)).toFixed(1)} %`).join(', ')}; median cost ${(100 * (1 - median(metricsRatios))).toFixed(1)} %.`);
out();

interface Target { name: string; value: string; pass: boolean | undefined }
const targets: Target[] = [];
// Issue #11, second step: the shipped binary (LOG_LEVEL=info, warm token) against the ceilings
// and the peers users compare us with, each with its own authentication.
const shipped = by('shipped-info');
const shippedWarn = by('shipped-warn');
const bare = by('bare-http');
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined);
const target = (name: string, v: number | undefined, ok: (v: number) => boolean, fmt: (v: number) => string) =>
  targets.push({ name, value: v === undefined ? 'n/a' : fmt(v), pass: v === undefined ? undefined : ok(v) });
const times = (v: number) => `${f2(v)}×`;
const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
const rps = (id: string) => by(id)?.load.rps;
// From the interleaved rounds when they ran (median of per-round ratios), else from the table.
const paired = (a: string, b: string, of: (r: Row) => number, fallback: number | undefined) =>
  ratioRounds.length ? median(ratioRounds.map((r) => of(r[a]!) / of(r[b]!))) : fallback;
const rpsOf = (r: Row) => r.load.rps;
const from = ratioRounds.length ? `, median of ${ratioRounds.length} interleaved rounds` : '';
target(`shipped binary (info) warm-JWT tools/call ≥ 1.5× bare Express 5 echo req/s${from}`, paired('shipped-info', 'bare-express', rpsOf, ratio(shipped?.load.rps, express?.load.rps)), (v) => v >= 1.5, times);
target(`shipped binary (info) ≥ 25% of bare node:http echo req/s${from}`, paired('shipped-info', 'bare-http', rpsOf, ratio(shipped?.load.rps, bare?.load.rps)), (v) => v >= 0.25, pct);
target(`shipped binary (info) ≥ 5× SDK v2 with requireBearerAuth req/s${from}`, paired('shipped-info', 'sdk-v2-jwt', rpsOf, ratio(shipped?.load.rps, rps('sdk-v2-jwt'))), (v) => v >= 5, times);
target('shipped binary (info) ≥ 4× http-mcp with auth_mcp req/s', ratio(shipped?.load.rps, rps('http-mcp-jwt')), (v) => v >= 4, times);
target('shipped binary (info) ≥ 10× FastMCP with JWTVerifier req/s', ratio(shipped?.load.rps, rps('fastmcp-jwt')), (v) => v >= 10, times);
target(`shipped binary (info) p99 ≤ bare Express p99${from}`, paired('shipped-info', 'bare-express', (r) => r.load.p99, ratio(shipped?.load.p99, express?.load.p99)), (v) => v <= 1, times);
target(`shipped binary LOG_LEVEL=info ≥ 95% of LOG_LEVEL=warn req/s${from}`, paired('shipped-info', 'shipped-warn', rpsOf, ratio(shipped?.load.rps, shippedWarn?.load.rps)), (v) => v >= 0.95, pct);
const oursWarm = rows.filter((r) => (r.id.startsWith('ours-') || r.id.startsWith('shipped-')) && r.id !== 'ours-call-jwt-cold');
const worst = oursWarm.reduce<Row | undefined>((a, r) => (!a || r.hwm > a.hwm ? r : a), undefined);
target(`peak RSS ≤ 110 MB in every warm case of ours (max: ${worst?.id ?? 'n/a'})`, worst ? worst.hwm / 1048576 : undefined, (v) => v <= 110, (v) => `${v.toFixed(0)} MB`);
const cold = by('ours-call-jwt-cold');
target('peak RSS ≤ 150 MB with the cold cache', cold ? cold.hwm / 1048576 : undefined, (v) => v <= 150, (v) => `${v.toFixed(0)} MB`);
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
if (py) out(`- Python peers: ${py.skip ? `skipped (${py.skip})` : `Python ${py.versions.python}`}; ${Object.entries(py.versions).filter(([k]) => k !== 'python').map(([k, v]) => `${k} ${v}`).join(', ')}`);
out(`- Node ${process.version}; our server ${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', 'services']) ? ' plus uncommitted changes in services/' : ''}; express ${versionOf('express')}, jose ${versionOf('jose')}, zod ${versionOf('zod')}; @modelcontextprotocol/server ${versionOf('@modelcontextprotocol/server')}, /express ${versionOf('@modelcontextprotocol/express')}, /node ${versionOf('@modelcontextprotocol/node')}, /sdk ${versionOf('@modelcontextprotocol/sdk')}; autocannon ${versionOf('autocannon')}, tsx ${versionOf('tsx')}`);
out();

console.log(lines.join('\n'));
mkdirSync(`${ROOT}/bench/results`, { recursive: true });
writeFileSync(`${ROOT}/bench/results/${SMOKE ? 'smoke' : 'latest'}.json`, JSON.stringify({ started, smoke: SMOKE, connections: CONNECTIONS, duration: DURATION, rounds: ROUNDS, python: py, skipped, rows, ratioRounds, startup, listen, targets, profile, failures, memoryOfDriver: memoryOf(process.pid) }, null, 2));
if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
