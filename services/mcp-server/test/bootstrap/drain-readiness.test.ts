/**
 * Issue #9: a graceful stop fails readiness first. Once RunningHttp.close() has begun, a
 * readiness probe that still reaches the server (here: one whose request was already under
 * way on an open connection) hears 503 `draining`, while the call in flight is still served.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { connect } from 'node:net';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { startOAuthServer, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('readiness during a graceful stop', () => {
  it('answers /readyz 503 {status: draining} while a long call is still in flight, and the call still succeeds', async () => {
    h = await startOAuthServer();
    const port = Number(new URL(h.origin).port);
    const ready = await fetch(`${h.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    // A probe whose request has started (so its connection is not idle and survives the stop).
    const probe = connect(port, '127.0.0.1');
    await once(probe, 'connect');
    probe.setEncoding('utf8');
    let text = '';
    probe.on('data', (chunk: string) => { text += chunk; });
    probe.write(`GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);

    const inFlight = fetch(`${h.origin}/mcp`, {
      method: 'POST',
      headers: { ...modernHeaders('tools/call', 'generate_report'), authorization: `Bearer ${await h.token('alice')}` },
      body: JSON.stringify(modernBody('tools/call', { name: 'generate_report', arguments: { topic: 'drain', steps: 3 } })),
    });
    await sleep(200);
    const closed = h.http.close();
    await sleep(50);
    probe.write('Connection: close\r\n\r\n');
    await once(probe, 'end');
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({ status: 'draining' });

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { isError?: boolean } }).result.isError).toBeUndefined();
    await closed;
  });
});
