import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { z } from 'zod';
import { createLogger } from '../../src/logging/logger.js';
import { defineTool } from '../../src/mcp/define.js';
import { localPrincipal } from '../../src/mcp/principal.js';
import { META, MODERN_VERSION, type JsonObject } from '../../src/mcp/protocol.js';
import { createMcpServer, type McpServer } from '../../src/server.js';
import { serveStdio } from '../../src/stdio/stdio-server.js';

interface Message { jsonrpc: string; id?: string | number | null; method?: string; params?: JsonObject; result?: JsonObject; error?: { code: number; message: string; data?: unknown } }

const PRINCIPAL = localPrincipal('stdio-tester', ['mcp:tools'], 'local');
const meta = { [META.protocolVersion]: MODERN_VERSION, [META.clientCapabilities]: { elicitation: {} } };

/** A running transport over in-memory pipes. */
async function start(opts: { maxMessageBytes?: number; logger?: ReturnType<typeof createLogger> } = {}) {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const seen = { aborted: false, started: false };
  const server: McpServer = await createMcpServer({
    serverInfo: { name: 'stdio-test', version: '1.0.0' },
    logger: opts.logger,
    tools: [
      defineTool({ name: 'echo', description: 'Echo', input: z.object({ text: z.string() }), handler: ({ text }) => text }),
      defineTool({
        name: 'wait', description: 'Waits until cancelled or released',
        handler: (_i, ctx) => new Promise<string>((resolve) => {
          seen.started = true;
          ctx.signal.addEventListener('abort', () => { seen.aborted = true; resolve('aborted'); }, { once: true });
          void gate.then(() => resolve('released'));
        }),
      }),
      defineTool({
        name: 'chatty', description: 'Logs on the server and to the client',
        handler: (_i, ctx) => {
          ctx.log.debug('debug from chatty'); ctx.log.info('info from chatty'); ctx.log.warn('warn from chatty'); ctx.log.error('error from chatty');
          ctx.sendLog('info', 'to the client');
          return 'chatted';
        },
      }),
      defineTool({
        name: 'ask', description: 'Elicits a name',
        handler: async (_i, ctx) => {
          const r = await ctx.input.elicit({ mode: 'form', message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } }, 'name');
          return `hello ${(r.content as { name?: string } | undefined)?.name}`;
        },
      }),
    ],
  });
  const input = new PassThrough();
  const output = new PassThrough();
  const out: Message[] = [];
  const raw: string[] = [];
  let buf = '';
  output.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const p of parts) { raw.push(p); out.push(JSON.parse(p) as Message); }
  });
  const t = serveStdio({ engine: server.engine, principal: PRINCIPAL, input, output, maxMessageBytes: opts.maxMessageBytes });
  const send = (m: unknown) => input.write(`${typeof m === 'string' ? m : JSON.stringify(m)}\n`);
  const waitFor = async (pred: (m: Message) => boolean, what: string): Promise<Message> => {
    const end = Date.now() + 5000;
    for (;;) {
      const m = out.find(pred);
      if (m) return m;
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}; got ${JSON.stringify(out)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const response = (id: string | number | null) => waitFor((m) => m.id === id && (m.result !== undefined || m.error !== undefined), `response ${id}`);
  return { server, input, output, out, raw, t, send, waitFor, response, seen, release };
}

type Running = Awaited<ReturnType<typeof start>>;
let running: Running | undefined;
afterEach(async () => {
  running?.release();
  running?.input.end();
  running?.t.close();
  await running?.server.close();
  running = undefined;
  jest.restoreAllMocks();
});

const call = (id: number | string, name: string, args: JsonObject = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: meta } });

describe('serveStdio', () => {
  it('serves 2026-07-28 requests line by line without initialize', async () => {
    const s = running = await start();
    s.send(call(1, 'echo', { text: 'hi' }));
    const r = await s.response(1);
    expect(r.result).toMatchObject({ content: [{ type: 'text', text: 'hi' }], resultType: 'complete' });
  });

  it('answers a parse error with -32700 and id null, then keeps serving', async () => {
    const s = running = await start();
    s.send('{"jsonrpc":"2.0","id":1,"method":');
    s.send(call(2, 'echo', { text: 'after' }));
    expect(await s.response(null)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error/) } });
    expect((await s.response(2)).result).toMatchObject({ content: [{ text: 'after' }] });
  });

  it('refuses batches and invalid messages with -32600', async () => {
    const s = running = await start();
    s.send([call(1, 'echo', { text: 'a' })]);
    s.send({ jsonrpc: '1.0', id: 9, method: 'tools/list' });
    const batch = await s.waitFor((m) => m.id === null && m.error?.code === -32600, 'batch refusal');
    expect(batch.error!.message).toMatch(/Batches are not supported/);
    expect((await s.response(9)).error).toMatchObject({ code: -32600, message: expect.stringMatching(/jsonrpc must be exactly "2.0"/) });
  });

  it('enforces the default 4 MiB cap: an oversized line is refused, the next line is served', async () => {
    const s = running = await start();
    const big = 'x'.repeat(4 * 1024 * 1024);
    s.send(call(1, 'echo', { text: big }));
    s.send(call(2, 'echo', { text: 'small' }));
    const refused = await s.waitFor((m) => m.id === null && m.error?.code === -32600, 'oversize refusal');
    expect(refused.error!.message).toBe('Message exceeds the 4194304 byte limit');
    expect((await s.response(2)).result).toMatchObject({ content: [{ text: 'small' }] });
    expect(s.out.find((m) => m.id === 1)).toBeUndefined();
  });

  it('serves a message just under the cap', async () => {
    const s = running = await start({ maxMessageBytes: 64 * 1024 });
    const envelope = JSON.stringify(call(1, 'echo', { text: '' })).length;
    s.send(call(1, 'echo', { text: 'y'.repeat(64 * 1024 - envelope) }));
    expect((await s.response(1)).result).toMatchObject({ content: [{ text: expect.stringMatching(/^y+$/) }] });
  });

  it('cancels a request on notifications/cancelled: the handler sees the abort and no response is sent', async () => {
    const s = running = await start();
    s.send(call('w1', 'wait'));
    const end = Date.now() + 5000;
    while (!s.seen.started && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(s.seen.started).toBe(true);
    s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'w1', reason: 'user gave up' } });
    s.send(call(3, 'echo', { text: 'still here' }));
    await s.response(3);
    expect(s.seen.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.out.find((m) => m.id === 'w1')).toBeUndefined();
  });

  it('ignores a cancellation for an unknown or finished request', async () => {
    const s = running = await start();
    s.send(call(1, 'echo', { text: 'done' }));
    await s.response(1);
    s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
    s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'never' } });
    s.send(call(2, 'echo', { text: 'fine' }));
    expect((await s.response(2)).result).toBeDefined();
  });

  it('speaks the 2025 handshake and carries server-to-client requests over the same pipes', async () => {
    const s = running = await start();
    s.send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'pipe', version: '1' } } });
    expect((await s.response('init')).result).toMatchObject({ protocolVersion: '2025-11-25', serverInfo: { name: 'stdio-test' } });
    s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    s.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'ask', arguments: {} } });
    const ask = await s.waitFor((m) => m.method === 'elicitation/create', 'the elicitation request');
    expect(ask.id).toEqual(expect.any(String));
    expect(ask.params).toMatchObject({ message: 'Name?' });
    s.send({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept', content: { name: 'Ada' } } });
    expect((await s.response(5)).result).toEqual({ content: [{ type: 'text', text: 'hello Ada' }] });
  });

  it('requires the _meta envelope when there is no session', async () => {
    const s = running = await start();
    s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect((await s.response(1)).error).toMatchObject({ code: -32602, message: expect.stringContaining(META.protocolVersion) });
  });

  it('resolves done when stdin ends', async () => {
    const s = running = await start();
    s.input.end();
    await expect(s.t.done).resolves.toBeUndefined();
  });

  it('never writes logs to stdout: the default logger writes every level to stderr', async () => {
    // Winston's console transport writes to console._stderr / console._stdout (Node maps them to
    // process.stderr / process.stdout). Give the console two distinct recording streams.
    const c = console as unknown as { _stdout: unknown; _stderr: unknown };
    const saved = { out: c._stdout, err: c._stderr };
    const fakeOut: string[] = [];
    const fakeErr: string[] = [];
    c._stdout = { write: (s: string) => { fakeOut.push(String(s)); return true; } };
    c._stderr = { write: (s: string) => { fakeErr.push(String(s)); return true; } };
    const stdoutWrite = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const consoleOut = (['log', 'info', 'debug', 'warn'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => {}));
    try {
      const s = running = await start({ logger: createLogger({ level: 'debug' }) });
      s.send(call(1, 'chatty'));
      s.send({ ...call(2, 'chatty'), params: { name: 'chatty', arguments: {}, _meta: { ...meta, [META.logLevel]: 'info' } } });
      await s.response(1);
      await s.response(2);
      await new Promise((r) => setTimeout(r, 20));
      expect(fakeOut).toEqual([]);
      expect(stdoutWrite).not.toHaveBeenCalled();
      for (const spy of consoleOut) expect(spy).not.toHaveBeenCalled();
      // Every level, and the audit lines, went to stderr as JSON lines.
      const logged = fakeErr.map((l) => JSON.parse(l) as { level: string; message: string });
      for (const level of ['debug', 'info', 'warn', 'error']) expect(logged).toContainEqual(expect.objectContaining({ level, message: `${level} from chatty` }));
      expect(logged.filter((l) => l.message === 'audit')).toHaveLength(2);
      // The protocol channel carries only JSON-RPC: the client-facing log notification and the results.
      expect(s.raw.every((l) => (JSON.parse(l) as Message).jsonrpc === '2.0')).toBe(true);
      expect(s.out.filter((m) => m.method === 'notifications/message')).toEqual([
        { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'to the client' } },
      ]);
      expect(s.raw.join('\n')).not.toContain('from chatty');
    } finally {
      c._stdout = saved.out;
      c._stderr = saved.err;
    }
  });
});
