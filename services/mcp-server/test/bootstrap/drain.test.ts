/**
 * Stopping the server (SIGTERM → RunningHttp.close in main.ts) drains: calls in flight finish
 * and are answered, new connections are refused, idle keep-alive connections do not hold the
 * stop up, and a call that outlives the grace period is cut so the process can still exit.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { startOAuthServer, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function report(harness: Harness, steps: number): Promise<Response> {
  return fetch(`${harness.origin}/mcp`, {
    method: 'POST',
    headers: { ...modernHeaders('tools/call', 'generate_report'), authorization: `Bearer ${await harness.token('alice')}` },
    body: JSON.stringify(modernBody('tools/call', { name: 'generate_report', arguments: { topic: 'drain', steps } })),
  });
}

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(false); });
  s.once('error', () => resolve(true));
});

describe('graceful stop', () => {
  it('lets a call in flight finish, refuses new connections, and ends once the call is answered', async () => {
    h = await startOAuthServer();
    const port = Number(new URL(h.origin).port);
    // A keep-alive connection left idle by an earlier request must not delay the stop.
    expect((await fetch(`${h.origin}/healthz`)).status).toBe(200);
    const inFlight = report(h, 2);
    await sleep(200);
    const started = Date.now();
    const closed = h.http.close();
    await sleep(50);
    expect(await refused(port)).toBe(true);
    const res = await inFlight;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { isError?: boolean; structuredContent: { steps: number } } };
    expect(body.result.isError).toBeUndefined();
    expect(body.result.structuredContent.steps).toBe(2);
    await closed;
    // About the 800 ms the call had left, not the 5 s keep-alive timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('cuts a call that is still running when the grace period ends', async () => {
    h = await startOAuthServer();
    const inFlight = report(h, 10).then((r) => r.text());
    await sleep(200);
    const started = Date.now();
    await h.http.close(300);
    expect(Date.now() - started).toBeLessThan(1_500);
    await expect(inFlight).rejects.toThrow();
  });
});
