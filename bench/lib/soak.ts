/**
 * `npm run bench -- --soak [--minutes N]`: one server (ours, JWT, sessions on, rate limits
 * on) under mixed traffic for N minutes (default 10) — stateless calls, 2025 sessions opened
 * and closed (some abandoned), listen and GET streams opened and dropped, bad tokens — while
 * RSS (from /proc) and event-loop delay (from inside, `stats` tool) are sampled every second.
 * The report fits a line to RSS after warm-up: the growth it predicts over the measured
 * period must stay within 10 %; event-loop p99 per minute must not drift.
 */
import { Agent, request } from 'node:http';
import { memoryOf, startServer, stopServer } from './child.js';
import { CALL_PARAMS, LEGACY, legacyBody, legacyHeaders, modernBody, modernHeaders } from './common.js';

/** Inputs of the soak. */
export interface SoakOptions {
  issuer: string;
  /** Valid RS256 tokens for the issuer (one per subject). */
  tokens: string[];
  minutes: number;
  log(line: string): void;
}

interface Sample { t: number; rss: number; heap: number; eldP50: number; eldP99: number; eldMax: number; requests: number; errors: number }

/** What the soak measured. */
export interface SoakResult {
  samples: Sample[];
  warmupS: number;
  rssTrendPct: number;
  rssFirstMb: number;
  rssLastMb: number;
  perMinute: { minute: number; rssMb: number; eldP99: number; eldMax: number; rps: number }[];
  counts: Record<string, number>;
  unexpected: Record<string, number>;
  pass: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the soak; returns the samples and the verdict. */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const child = await startServer('ours', ['--auth', 'jwt', '--issuer', o.issuer, '--sessions', '--rate-limit']);
  const { hostname, port, pathname } = new URL(child.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const counts: Record<string, number> = {};
  const unexpected: Record<string, number> = {};
  const count = (k: string, n = 1) => { counts[k] = (counts[k] ?? 0) + n; };
  let requests = 0;
  let errors = 0;
  const bearer = (i: number) => `Bearer ${o.tokens[i % o.tokens.length]}`;
  const stopAt = Date.now() + o.minutes * 60_000;
  let running = true;

  /** One request; resolves with status and body (streams: the caller destroys `req`). */
  const send = (method: string, headers: Record<string, string>, body?: string) => new Promise<{ status: number; text: string; headers: Record<string, unknown> }>((resolve) => {
    const req = request({ agent, hostname, port, path: pathname, method, headers: body ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', () => resolve({ status: 0, text: '', headers: {} }));
    if (body) req.write(body);
    req.end();
  });
  const expect = (kind: string, status: number, ok: number[]) => {
    requests++;
    count(`${kind} ${status}`);
    if (!ok.includes(status)) { errors++; unexpected[`${kind} ${status}`] = (unexpected[`${kind} ${status}`] ?? 0) + 1; }
  };

  // Stateless 2026-07-28 calls, 6 at a time.
  const stateless = async (worker: number) => {
    for (let i = worker; running; i += 6) {
      const r = await send('POST', { ...modernHeaders('tools/call', CALL_PARAMS.name), authorization: bearer(i) }, modernBody('tools/call', CALL_PARAMS));
      expect('call', r.status, [200]);
    }
  };
  // 2025 sessions: initialize, initialized, three calls, DELETE; one in ten abandoned (subjects 0-3 only,
  // so the per-principal quota bounds what piles up).
  const sessions = async () => {
    for (let i = 0; running; i++) {
      const who = i % 10 === 9 ? i % 4 : 10 + (i % 50);
      const auth = { authorization: bearer(who) };
      const init = await send('POST', { ...legacyHeaders(), ...auth }, legacyBody('initialize', { protocolVersion: LEGACY, capabilities: { sampling: {} }, clientInfo: { name: 'soak', version: '1' } }));
      expect('initialize', init.status, [200]);
      const sid = init.headers['mcp-session-id'] as string | undefined;
      if (!sid) { await sleep(100); continue; }
      await send('POST', { ...legacyHeaders(sid), ...auth }, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      for (let k = 0; k < 3; k++) expect('session call', (await send('POST', { ...legacyHeaders(sid), ...auth }, legacyBody('tools/call', CALL_PARAMS))).status, [200]);
      if (i % 10 !== 9) expect('delete', (await send('DELETE', { 'mcp-protocol-version': LEGACY, 'mcp-session-id': sid, ...auth })).status, [204]);
      await sleep(100);
    }
  };
  // Streams: a listen stream or a session's GET stream, held 0.5-3 s, then dropped by the client.
  const streams = async (worker: number) => {
    for (let i = worker; running; i += 4) {
      const auth = { authorization: bearer(100 + (i % 20)) };
      let sid: string | undefined;
      let headers: Record<string, string>;
      let body: string | undefined;
      if (i % 2 === 0) {
        headers = { ...modernHeaders('subscriptions/listen'), ...auth };
        body = modernBody('subscriptions/listen', { notifications: { toolsListChanged: true } });
      } else {
        const init = await send('POST', { ...legacyHeaders(), ...auth }, legacyBody('initialize', { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'soak-stream', version: '1' } }));
        sid = init.headers['mcp-session-id'] as string | undefined;
        headers = { accept: 'text/event-stream', 'mcp-protocol-version': LEGACY, 'mcp-session-id': sid ?? '', ...auth };
      }
      const status = await new Promise<number>((resolve) => {
        const req = request({ agent: false, hostname, port, path: pathname, method: body ? 'POST' : 'GET', headers: body ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers }, (res) => {
          res.resume();
          setTimeout(() => { req.destroy(); resolve(res.statusCode ?? 0); }, 500 + ((i * 373) % 2500));
        });
        req.on('error', () => resolve(0));
        if (body) req.write(body);
        req.end();
      });
      expect(body ? 'listen' : 'get stream', status, [200]);
      if (sid) await send('DELETE', { 'mcp-protocol-version': LEGACY, 'mcp-session-id': sid, ...auth });
    }
  };
  // Bad tokens: garbage and a tampered signature, ten a second (they meet the failed-auth throttle).
  const badTokens = async () => {
    const good = o.tokens[0]!;
    const tampered = `${good.slice(0, -6)}${good.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`;
    for (let i = 0; running; i++) {
      void send('POST', { ...modernHeaders('tools/call', CALL_PARAMS.name), authorization: i % 2 ? 'Bearer garbage' : `Bearer ${tampered}` }, modernBody('tools/call', CALL_PARAMS))
        .then((r) => expect('bad token', r.status, [401, 429]));
      await sleep(100);
    }
  };
  // A list change every 10 s reaches whatever streams are open.
  const changes = async () => {
    while (running) {
      await sleep(10_000);
      if (running) expect('trigger_change', (await send('POST', { ...modernHeaders('tools/call', 'trigger_change'), authorization: bearer(0) }, modernBody('tools/call', { name: 'trigger_change', arguments: {} }))).status, [200]);
    }
  };

  const samples: Sample[] = [];
  const t0 = Date.now();
  const sampler = (async () => {
    let lastRequests = 0;
    while (running) {
      await sleep(1000);
      const r = await send('POST', { ...modernHeaders('tools/call', 'stats'), authorization: bearer(1) }, modernBody('tools/call', { name: 'stats', arguments: {} }));
      const text = /"text":"((?:[^"\\]|\\.)*)"/.exec(r.text)?.[1];
      const s = text ? (JSON.parse(JSON.parse(`"${text}"`) as string) as { heapUsed: number; eldP50: number; eldP99: number; eldMax: number }) : undefined;
      samples.push({ t: (Date.now() - t0) / 1000, rss: memoryOf(child.pid).rss, heap: s?.heapUsed ?? NaN, eldP50: s?.eldP50 ?? NaN, eldP99: s?.eldP99 ?? NaN, eldMax: s?.eldMax ?? NaN, requests: requests - lastRequests, errors });
      lastRequests = requests;
      if (samples.length % 60 === 0) o.log(`  soak ${samples.length / 60} min: RSS ${(samples.at(-1)!.rss / 1048576).toFixed(1)} MB, ELD p99 ${samples.at(-1)!.eldP99.toFixed(1)} ms, ${requests} requests, ${errors} unexpected`);
      if (Date.now() >= stopAt) running = false;
    }
  })();
  await Promise.all([...[0, 1, 2, 3, 4, 5].map(stateless), sessions(), ...[0, 1, 2, 3].map(streams), badTokens(), changes(), sampler]);
  await sleep(1500); // bad-token answers still being paced
  agent.destroy();
  await stopServer(child);

  // Warm-up: the first 10 % (at least 30 s) — caches, JIT, the abandoned-session pool filling.
  const warmupS = Math.max(30, Math.round(samples.length * 0.1));
  const measured = samples.filter((s) => s.t > warmupS && Number.isFinite(s.rss));
  const n = measured.length;
  const mx = measured.reduce((a, s) => a + s.t, 0) / n;
  const my = measured.reduce((a, s) => a + s.rss, 0) / n;
  const slope = measured.reduce((a, s) => a + (s.t - mx) * (s.rss - my), 0) / measured.reduce((a, s) => a + (s.t - mx) ** 2, 0);
  const span = measured.at(-1)!.t - measured[0]!.t;
  const rssTrendPct = (slope * span / my) * 100;
  const perMinute: SoakResult['perMinute'] = [];
  for (let m = 0; m * 60 < samples.length; m++) {
    const xs = samples.slice(m * 60, (m + 1) * 60);
    const p99s = xs.map((s) => s.eldP99).filter(Number.isFinite).sort((a, b) => a - b);
    perMinute.push({
      minute: m + 1,
      rssMb: xs.reduce((a, s) => a + s.rss, 0) / xs.length / 1048576,
      eldP99: p99s[Math.floor(p99s.length / 2)] ?? NaN,
      eldMax: Math.max(...xs.map((s) => s.eldMax).filter(Number.isFinite)),
      rps: xs.reduce((a, s) => a + s.requests, 0) / xs.length,
    });
  }
  const pass = rssTrendPct <= 10 && Object.keys(unexpected).length === 0;
  return { samples, warmupS, rssTrendPct, rssFirstMb: measured[0]!.rss / 1048576, rssLastMb: measured.at(-1)!.rss / 1048576, perMinute, counts, unexpected, pass };
}

/** The soak as Markdown (printed, written to bench/results/soak.md, copied into docs/benchmarks.md). */
export function soakReport(r: SoakResult, minutes: number): string {
  const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  const total = r.samples.reduce((a, s) => a + s.requests, 0);
  const lines = [
    `## Soak (${minutes} min, one server, mixed traffic)`,
    '',
    `${total} requests checked (${f1(total / Math.max(1, r.samples.length))}/s), ${Object.values(r.unexpected).reduce((a, b) => a + b, 0)} with an unexpected status${Object.keys(r.unexpected).length ? `: ${JSON.stringify(r.unexpected)}` : ''}.`,
    `RSS after the ${r.warmupS} s warm-up: ${f1(r.rssFirstMb)} → ${f1(r.rssLastMb)} MB; least-squares trend over the measured period ${r.rssTrendPct >= 0 ? '+' : ''}${f1(r.rssTrendPct)} % (limit +10 %): ${r.rssTrendPct <= 10 ? 'flat' : 'GROWING'}.`,
    '',
    '| minute | RSS MB (mean) | event-loop delay p99 ms (median of 1 s windows) | max ms | requests/s |',
    '|---|---|---|---|---|',
    ...r.perMinute.map((m) => `| ${m.minute} | ${f1(m.rssMb)} | ${f1(m.eldP99)} | ${f1(m.eldMax)} | ${f1(m.rps)} |`),
    '',
    `Responses by kind and status: ${Object.entries(r.counts).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}.`,
    '',
    `Verdict: ${r.pass ? 'PASS' : 'FAIL'} (RSS trend within 10 %, no unexpected status).`,
  ];
  return lines.join('\n');
}
