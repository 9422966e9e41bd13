/**
 * `npm run test:cluster`: three replicas sharing state through a real Redis, behind nginx,
 * all on loopback. Starts redis-server (no persistence), a local JWT issuer, three replicas
 * (test/cluster/replica.ts: src/main.ts's composition plus a test-only tool that raises
 * resources/updated) and nginx round-robin over them, then checks:
 *
 *   0. a 2025 session (official v1 SDK client) whose every request lands on the next replica:
 *      initialize, GET stream, resources/subscribe, a tool call with progress and an
 *      elicitation answered on another replica, a resources/updated raised elsewhere, DELETE
 *      (then 404 on every replica);
 *   1. listen fan-out: a listen stream on replica 1 gets a change raised on replica 3;
 *   2. shared rate limit: MCP_RATE_LIMIT_MAX=N, N+3 requests of one subject through nginx: 3 get 429;
 *   3. replica loss under steady tools/call load: SIGTERM one (failures, target 0 but for the
 *      connections queued in the kernel when its listener closes), SIGKILL
 *      another and restart it (failures, time to /readyz 200);
 *   4. Redis restarted mid-run: what fails while it is down (session lookups: 503, fail
 *      closed), and the replicas reconnect by themselves (fan-out and rate limits work again).
 *
 * One line per check, then `test:cluster: N passed, N failed` (exit 1 on a failure). No
 * redis-server or nginx: one SKIPPED line and exit 0 (exit 1 under CI=true).
 *
 *   CLUSTER_NGINX_KEEPALIVE=1   nginx keeps upstream connections (keepalive 16; default: a new one per request)
 *   CLUSTER_LOAD_SECONDS=20     length of the replica-loss load (default 20)
 *   CLUSTER_DEBUG=1             print the replicas' logs when the session journey fails
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, stopServer, type Child } from '../../bench/lib/child.js';
import { callTool, legacyPost, listen, Tokens, type CallResult, type Listener } from './client.js';
import { sessionJourney } from './session-journey.js';
import { freePort, killAll, missingBinaries, Proc, sleep, startNginx, startRedis, tempDir, track, until } from './procs.js';

// Above the session journey's ~12 requests of one subject, low enough to trip quickly.
const RATE_MAX = 20;
const RATE_WINDOW_MS = 3_600_000;
const URI = 'info://server';
const UPDATED = 'notifications/resources/updated';
const CONCURRENCY = 6;
const LOAD_MS = Number(process.env.CLUSTER_LOAD_SECONDS ?? 20) * 1000;
const KEEPALIVE = process.env.CLUSTER_NGINX_KEEPALIVE === '1';
const inCi = !['', 'false', '0'].includes((process.env.CI ?? '').toLowerCase());

const missing = missingBinaries();
if (missing.length) {
  const what = `${missing.join(' and ')} not found`;
  console.log('='.repeat(72));
  if (inCi) {
    console.log(`test:cluster: FAILED - ${what}; CI=${process.env.CI} requires them (.ci/run installs redis-server and nginx).`);
    console.log('='.repeat(72));
    console.log('test:cluster: 0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`test:cluster: SKIPPED - ${what}. Install them (apt-get install redis-server nginx) and run npm run test:cluster again.`);
  console.log('='.repeat(72));
  process.exit(0);
}

// Every process started stops, whatever happens.
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { console.error(`test:cluster: ${sig}, stopping everything`); killAll(); process.exit(130); });
const watchdog = setTimeout(() => { console.error('test:cluster: FAILED - the whole run exceeded 240 s'); killAll(); process.exit(1); }, 240_000);
watchdog.unref();

let passed = 0;
let failed = 0;
function report(ok: boolean, name: string, detail: string): void {
  if (ok) passed += 1; else failed += 1;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
}
const ms = (n: number) => `${Math.round(n)} ms`;
const count = (rs: CallResult[]) => {
  const by = new Map<string, number>();
  for (const r of rs) if (!r.ok) by.set(String(r.status), (by.get(String(r.status)) ?? 0) + 1);
  return [...by].map(([k, v]) => `${v}x ${k}`).join(', ') || 'none';
};

/** One replica: a process of test/cluster/replica.ts on a fixed port (kept across restarts). */
class Replica {
  proc: Proc | undefined;
  constructor(readonly n: number, readonly port: number, private readonly env: Record<string, string>) {}
  get url(): string { return `http://127.0.0.1:${this.port}/mcp`; }
  async ready(): Promise<boolean> {
    const r = await fetch(`http://127.0.0.1:${this.port}/readyz`, { signal: AbortSignal.timeout(1000) });
    await r.arrayBuffer();
    return r.status === 200;
  }
  /** Spawn and wait for /readyz 200; returns ms from spawn to ready. */
  async start(): Promise<number> {
    const t0 = performance.now();
    const p = new Proc(`replica${this.n}`, process.execPath, ['--import', 'tsx', 'test/cluster/replica.ts'], { ...this.env, PORT: String(this.port) });
    this.proc = p;
    const ok = await until(async () => { if (!p.running) throw new Error('exited'); return this.ready(); }, 30_000, 25);
    if (!ok) throw new Error(`replica ${this.n} not ready in 30 s:\n${p.output().slice(-3000)}`);
    return performance.now() - t0;
  }
}

const tmp = tempDir();
const tokens = await Tokens.create();
let issuer: Child | undefined;
let redis: Proc | undefined;
let nginx: Proc | undefined;
const replicas: Replica[] = [];
const listeners: Listener[] = [];
let redisPort = 0;

async function restartRedis(): Promise<void> { redis = await startRedis(redisPort, tmp.dir); }

try {
  // --- start everything ---
  const t0 = performance.now();
  issuer = await startServer('issuer', [], { env: { BENCH_JWK: JSON.stringify(tokens.publicJwk) } });
  track(issuer.proc);
  tokens.issuer = new URL(issuer.url).origin;
  redisPort = await freePort();
  await restartRedis();
  const env = {
    NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'info',
    REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
    MCP_STATE_SECRET: 'cluster-test-state-secret-0123456789abcdef',
    MCP_AUTH_ISSUERS: tokens.issuer, MCP_RESOURCE_URI: 'https://mcp.cluster.invalid/mcp',
    MCP_RATE_LIMIT_MAX: String(RATE_MAX), MCP_RATE_LIMIT_WINDOW_MS: String(RATE_WINDOW_MS),
    MCP_DEV_AUTH: 'false', MCP_METRICS: 'off', MCP_SESSIONS: 'sessions',
  };
  for (let n = 1; n <= 3; n++) replicas.push(new Replica(n, await freePort(), env));
  await Promise.all(replicas.map((r) => r.start()));
  const nginxPort = await freePort();
  nginx = await startNginx(nginxPort, replicas.map((r) => r.port), tmp.dir, KEEPALIVE);
  const front = `http://127.0.0.1:${nginxPort}/mcp`;
  console.log(`test:cluster: redis :${redisPort}, replicas :${replicas.map((r) => r.port).join(' :')}, nginx :${nginxPort} (upstream keepalive ${KEEPALIVE ? 'on' : 'off'}), up in ${ms(performance.now() - t0)}`);
  const [r1, r2, r3] = replicas;

  // --- 0. a 2025 session across replicas ---
  {
    const t = performance.now();
    const j = await sessionJourney(replicas.map((r) => r.url), await tokens.mint('session-journey'));
    console.log(`  hops: ${j.hops.join(' -> ')}`);
    if (j.failures.length && process.env.CLUSTER_DEBUG) for (const r of replicas) console.log(`--- replica ${r.n} ---\n${r.proc!.output().split('\n').filter((l) => !l.includes('"get_time"')).slice(-40).join('\n')}`);
    report(j.failures.length === 0, 'session journey (v1 SDK, every request on the next replica)',
      j.failures.length === 0 ? `initialize, GET stream, subscribe, tool call with progress + elicitation answered on another replica, resources/updated, DELETE then 404 on all 3, in ${ms(performance.now() - t)}` : j.failures.join('; '));
  }

  // --- 1. listen fan-out across replicas ---
  {
    const l = await listen(r1.url, await tokens.mint(), [URI]);
    listeners.push(l);
    const from = l.messages.length;
    const t = performance.now();
    const raised = await callTool(r3.url, await tokens.mint(), 'cluster_touch', { uri: URI });
    const got = await l.waitFor((m) => m.method === UPDATED && m.params.uri === URI, 5000, from);
    report(raised.ok && !!got, 'listen fan-out (replica 3 -> listen stream on replica 1)',
      got ? `${UPDATED} ${URI} arrived ${ms(got.at - t)} after the call on replica 3` : `not delivered within 5 s (raise: ${raised.status} ${raised.detail})`);
    l.close();
  }

  // --- 2. shared per-subject rate limit through nginx ---
  {
    // Epoch-aligned windows: keep the burst inside one.
    const left = RATE_WINDOW_MS - (Date.now() % RATE_WINDOW_MS);
    if (left < 5000) await sleep(left + 100);
    const token = await tokens.mint('rate-limited-subject');
    const results: CallResult[] = [];
    for (let i = 0; i < RATE_MAX + 3; i++) results.push(await callTool(front, token, 'get_time'));
    const statuses = results.map((r) => r.status);
    const expected = [...Array(RATE_MAX).fill(200), 429, 429, 429];
    const spread = new Set(results.map((r) => r.upstream)).size;
    report(JSON.stringify(statuses) === JSON.stringify(expected) && spread === 3, `shared rate limit (MCP_RATE_LIMIT_MAX=${RATE_MAX}, ${RATE_MAX + 3} requests)`,
      `statuses ${statuses.join(' ')} over ${spread} replicas (expected ${RATE_MAX}x 200 then 3x 429)`);
  }

  // --- 3. replica loss under steady load through nginx ---
  {
    const samples: { end: number; r: CallResult }[] = [];
    const start = performance.now();
    const stopAt = start + LOAD_MS;
    const worker = async () => {
      while (performance.now() < stopAt) {
        const r = await callTool(front, await tokens.mint(), 'get_time', {}, 10_000);
        samples.push({ end: performance.now(), r });
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await sleep(LOAD_MS * 0.2);
    const termAt = performance.now();
    const termDone = r2.proc!.stop('SIGTERM');
    await sleep(LOAD_MS * 0.3);
    const killAt = performance.now();
    await r3.proc!.stop('SIGKILL');
    const restartMs = await r3.start();
    const readyAfterKill = performance.now() - killAt;
    await load;
    await termDone;
    const end = performance.now();
    const phase = (a: number, b: number) => samples.filter((s) => s.end >= a && s.end < b).map((s) => s.r);
    const base = phase(start, termAt);
    const afterTerm = phase(termAt, killAt);
    const afterKill = phase(killAt, end + 1);
    const baseFail = base.filter((r) => !r.ok).length;
    const termFail = afterTerm.filter((r) => !r.ok).length;
    const killFail = afterKill.filter((r) => !r.ok).length;
    const r3Port = `127.0.0.1:${r3.port}`;
    const killOffsets = samples.filter((s) => s.end >= killAt && !s.r.ok).map((s) => `+${Math.round(s.end - killAt)}`).join(' ');
    const backOnR3 = samples.filter((s) => s.end > killAt + readyAfterKill && s.r.upstream.split(', ').at(-1) === r3Port).length;
    const rps = samples.length / ((end - start) / 1000);
    const lat = samples.map((s) => s.r.ms).sort((a, b) => a - b);
    console.log(`  load: ${samples.length} tools/call in ${((end - start) / 1000).toFixed(1)} s at concurrency ${CONCURRENCY} (${rps.toFixed(0)}/s, p50 ${ms(lat[Math.floor(lat.length / 2)])}, p99 ${ms(lat[Math.floor(lat.length * 0.99)])}, max ${ms(lat.at(-1)!)})`);
    console.log(`  before any loss: ${base.length} requests, ${baseFail} failed`);
    const termDetail = samples.filter((s) => s.end >= termAt && s.end < killAt && !s.r.ok).map((s) => `+${Math.round(s.end - termAt)} ms`).join(' ');
    console.log(`  after SIGTERM replica 2: ${afterTerm.length} requests, ${termFail} failed (${count(afterTerm)}${termDetail ? `, at ms after the SIGTERM: ${termDetail}` : ''})`);
    console.log(`  after SIGKILL replica 3: ${afterKill.length} requests, ${killFail} failed (${count(afterKill)}${killOffsets ? `, at ms after the kill: ${killOffsets}` : ''}); restarted replica ready ${ms(restartMs)} after spawn (${ms(readyAfterKill)} after the kill), then served ${backOnR3} requests`);
    // Closing a listener that still gets traffic resets the connections the kernel accepted
    // but the server had not yet taken, and nginx does not resend a POST it already sent: a
    // few 502s at the instant of the close (docs/deploy.md; the chart's preStop sleep takes the
    // pod out of rotation first). A drain that cut calls in flight would fail more, and later.
    const termFailures = samples.filter((s) => s.end >= termAt && s.end < killAt && !s.r.ok);
    const atClose = termFailures.every((s) => s.r.status === 502 && s.end - termAt < 250);
    report(baseFail === 0 && termFail <= 3 && atClose, 'replica loss: SIGTERM (graceful drain) under load',
      `${termFail} of ${afterTerm.length} requests failed (target: 0, or at most 3 502s within 250 ms of the SIGTERM: connections queued in the kernel when the listener closed)`);
    report(killFail <= CONCURRENCY && backOnR3 > 0, 'replica loss: SIGKILL + restart under load',
      `${killFail} of ${afterKill.length} failed (at most the ${CONCURRENCY} in flight expected); restarted replica /readyz 200 after ${ms(restartMs)}, back in rotation: ${backOnR3 > 0 ? 'yes' : 'no'}`);
    await r2.start();
  }

  // --- 4. Redis restarted mid-run ---
  {
    const l = await listen(r1.url, await tokens.mint(), [URI]);
    listeners.push(l);
    const overLimit = await tokens.mint('rate-limited-subject');
    const sessionToken = await tokens.mint('session-across-outage');
    const opened = await legacyPost(front, sessionToken, 'initialize');
    await redis!.stop('SIGTERM', 5000);
    // Session lookups fail closed while the store is away: 503 with Retry-After, never a guess.
    const lookupDown = await legacyPost(front, sessionToken, 'tools/list', opened.sessionId ?? 'none');
    const downAt = performance.now();
    const during: CallResult[] = [];
    const limited: CallResult[] = [];
    const touches: CallResult[] = [];
    let crossDuring = 0;
    while (performance.now() - downAt < 2000) {
      during.push(await callTool(front, await tokens.mint(), 'get_time', {}, 5000));
      limited.push(await callTool(front, overLimit, 'get_time', {}, 5000));
      if (touches.length === 0) {
        const from = l.messages.length;
        touches.push(await callTool(r3.url, await tokens.mint(), 'cluster_touch', { uri: URI }, 5000));
        if (await l.waitFor((m) => m.method === UPDATED, 500, from)) crossDuring += 1;
      }
      await sleep(100);
    }
    await restartRedis();
    const upAt = performance.now();
    // The replicas reconnect by themselves (retry <= 2 s): poll a cross-replica change.
    let fanoutMs: number | undefined;
    const from = l.messages.length;
    while (performance.now() - upAt < 20_000 && fanoutMs === undefined) {
      await callTool(r3.url, await tokens.mint(), 'cluster_touch', { uri: URI }, 5000);
      if (await l.waitFor((m) => m.method === UPDATED, 250, from)) fanoutMs = performance.now() - upAt;
    }
    // Rate limits count again: a fresh subject's N+1st request is refused.
    let limitAgainMs: number | undefined;
    while (performance.now() - upAt < 20_000 && limitAgainMs === undefined) {
      const t = await tokens.mint();
      const rs: CallResult[] = [];
      for (let i = 0; i <= RATE_MAX; i++) rs.push(await callTool(front, t, 'get_time', {}, 5000));
      if (rs.at(-1)!.status === 429 && rs.slice(0, -1).every((r) => r.status === 200)) limitAgainMs = performance.now() - upAt;
      else await sleep(200);
    }
    const after = await Promise.all(Array.from({ length: 6 }, async () => callTool(front, await tokens.mint(), 'get_time')));
    // redis-server here keeps nothing on disk, so the session is gone: 404 tells the client to initialize again.
    const lookupBack = await legacyPost(front, sessionToken, 'tools/list', opened.sessionId ?? 'none');
    const reopened = await legacyPost(front, sessionToken, 'initialize');
    console.log(`  a session lookup while Redis was down: ${lookupDown.status} (Retry-After ${lookupDown.retryAfter}); after it came back empty: ${lookupBack.status}; a new initialize: ${reopened.status}`);
    console.log(`  Redis down ${ms(upAt - downAt)}: ${during.filter((r) => r.ok).length}/${during.length} tools/call through nginx succeeded (failed: ${count(during)}); `
      + `a subject over its limit got ${[...new Set(limited.map((r) => r.status))].join('/')} (${limited.length} requests: rate limits pass open); `
      + `a change raised on replica 3 returned ${touches[0]?.status} and reached replica 1's stream: ${crossDuring ? 'yes' : 'no (delivered on replica 3 only)'}`);
    console.log(`  Redis back: cross-replica fan-out again after ${fanoutMs === undefined ? 'NEVER (20 s)' : ms(fanoutMs)}, per-subject limit enforced again after ${limitAgainMs === undefined ? 'NEVER (20 s)' : ms(limitAgainMs)}, listen stream opened before the outage still open: ${l.open() ? 'yes' : 'no'}`);
    report(fanoutMs !== undefined && limitAgainMs !== undefined && after.every((r) => r.ok) && during.every((r) => r.ok)
      && opened.status === 200 && lookupDown.status === 503 && lookupBack.status === 404 && reopened.status === 200,
      'Redis restart: replicas reconnect by themselves',
      `fan-out after ${fanoutMs === undefined ? 'never' : ms(fanoutMs)}, rate limit after ${limitAgainMs === undefined ? 'never' : ms(limitAgainMs)}, ${during.filter((r) => !r.ok).length} stateless calls failed while down, session lookup ${lookupDown.status} while down (fail closed)`);
  }
} catch (e) {
  report(false, 'cluster run', (e as Error).stack ?? String(e));
} finally {
  for (const l of listeners) l.close();
  const stops: Promise<void>[] = [];
  if (nginx) stops.push(nginx.stop('SIGTERM', 5000));
  for (const r of replicas) if (r.proc) stops.push(r.proc.stop('SIGTERM', 12_000));
  await Promise.all(stops);
  if (redis) await redis.stop('SIGTERM', 5000);
  if (issuer) await stopServer(issuer);
  if (failed > 0) {
    for (const r of replicas) if (r.proc) console.log(`--- replica ${r.n} output (tail) ---\n${r.proc.output().slice(-1500)}`);
    try { console.log(`--- nginx error.log (tail) ---\n${readFileSync(join(tmp.dir, 'error.log'), 'utf8').split('\n').filter((l) => !l.includes('(111: Connection refused)') && !l.includes('temporarily disabled')).join('\n').slice(-3000)}`); } catch { /* none */ }
  }
  killAll();
  tmp.remove();
}
console.log(`test:cluster: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
