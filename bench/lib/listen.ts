/**
 * The subscriptions/listen scenario: open N streams (one socket each), measure what they
 * cost the server, then trigger list changes and time how long until every stream has the
 * notifications/tools/list_changed.
 */
import { Agent, request } from 'node:http';
import { memoryOf } from './child.js';
import { CALL_PARAMS, modernBody, modernHeaders } from './common.js';
import { messageOf, once } from './load.js';

const ACK = 'notifications/subscriptions/acknowledged';
const CHANGED = 'notifications/tools/list_changed';

/** What the scenario measured. */
export interface ListenResult {
  streams: number;
  openMs: number;
  rssPerStream: number;
  heapPerStream: number;
  rssBefore: number;
  rssAfter: number;
  /** Per trigger: ms from sending trigger_change until the last stream had the notification. */
  fanoutMs: number[];
  /** Per trigger: ms until the first stream had it. */
  firstMs: number[];
  /** Streams that missed a notification (should be 0). */
  missed: number;
}

interface StreamState { buf: string; acked: boolean; changes: number; at: number[] }

async function serverHeap(url: string): Promise<number> {
  const r = await once(url, modernHeaders('tools/call', 'mem'), modernBody('tools/call', { name: 'mem', arguments: {} }));
  const text = (messageOf(r.text)?.result?.content as { text: string }[] | undefined)?.[0]?.text;
  return text ? (JSON.parse(text) as { heapUsed: number }).heapUsed : NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the scenario against our server at `url` (process `pid`). */
export async function runListen(url: string, pid: number, n: number, triggers: number): Promise<ListenResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const { hostname, port, pathname } = new URL(url);
  // Settle, then the baseline (the `mem` tool runs gc twice before reporting).
  await once(url, modernHeaders('tools/call', CALL_PARAMS.name), modernBody('tools/call', CALL_PARAMS));
  const heapBefore = await serverHeap(url);
  await sleep(200);
  const rssBefore = memoryOf(pid).rss;

  const states: StreamState[] = [];
  const body = modernBody('subscriptions/listen', { notifications: { toolsListChanged: true } });
  const headers = { ...modernHeaders('subscriptions/listen'), 'content-length': String(Buffer.byteLength(body)) };
  const t0 = performance.now();
  const acked = new Promise<void>((resolveAll, rejectAll) => {
    let pending = n;
    const timer = setTimeout(() => rejectAll(new Error(`only ${n - pending}/${n} listen streams acknowledged`)), 30_000);
    for (let i = 0; i < n; i++) {
      const s: StreamState = { buf: '', acked: false, changes: 0, at: [] };
      states.push(s);
      const req = request({ agent, hostname, port, path: pathname, method: 'POST', headers }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const from = Math.max(0, s.buf.length - CHANGED.length);
          s.buf += chunk;
          if (!s.acked && s.buf.includes(ACK)) {
            s.acked = true;
            if (--pending === 0) { clearTimeout(timer); resolveAll(); }
          }
          let k = s.buf.indexOf(CHANGED, from);
          while (k !== -1) { s.changes++; s.at.push(performance.now()); k = s.buf.indexOf(CHANGED, k + CHANGED.length); }
          // Keep only a tail: the stream is long-lived.
          if (s.buf.length > 4096) s.buf = s.buf.slice(-256);
        });
      });
      req.on('error', (e) => { clearTimeout(timer); rejectAll(e); });
      req.end(body);
    }
  });
  await acked;
  const openMs = performance.now() - t0;
  await sleep(500);
  const heapAfter = await serverHeap(url);
  await sleep(200);
  const rssAfter = memoryOf(pid).rss;

  const fanoutMs: number[] = [];
  const firstMs: number[] = [];
  let missed = 0;
  for (let t = 1; t <= triggers; t++) {
    const start = performance.now();
    const trig = once(url, modernHeaders('tools/call', 'trigger_change'), modernBody('tools/call', { name: 'trigger_change', arguments: {} }));
    const deadline = start + 5000;
    while (states.some((s) => s.changes < t) && performance.now() < deadline) await sleep(1);
    await trig;
    const times = states.filter((s) => s.changes >= t).map((s) => s.at[t - 1]);
    missed += n - times.length;
    fanoutMs.push(Math.max(...times) - start);
    firstMs.push(Math.min(...times) - start);
    await sleep(100);
  }
  agent.destroy();
  return {
    streams: n, openMs, rssBefore, rssAfter,
    rssPerStream: (rssAfter - rssBefore) / n,
    heapPerStream: (heapAfter - heapBefore) / n,
    fanoutMs, firstMs, missed,
  };
}
