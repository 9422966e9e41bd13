/**
 * The `mcp-server --stdio` command as a child process, driven by the official SDK stdio
 * clients: v1 (initialize, 2025-11-25) and v2 pinned to 2026-07-28. LOG_LEVEL=debug makes
 * the server log a lot; every log line must land on stderr and none may disturb stdout.
 */
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioClientTransportV2 } from '@modelcontextprotocol/client/stdio';
import { ALL_SCOPES, EXAMPLE_TOOLS, until } from './support.js';

const ROOT = resolve(import.meta.dirname, '../..');
const serverParams = () => ({
  command: resolve(ROOT, 'node_modules/.bin/tsx'),
  args: ['services/mcp-server/src/main.ts', '--stdio'],
  cwd: ROOT,
  env: { ...process.env, LOG_LEVEL: 'debug', MCP_LOCAL_SCOPES: ALL_SCOPES.join(','), MCP_LOCAL_SUBJECT: 'stdio-user', NODE_ENV: 'test' } as Record<string, string>,
  stderr: 'pipe' as const,
});

/** Collect a child's stderr as JSON log lines. */
function collect(stream: Readable | null): { lines: string[] } {
  const out = { lines: [] as string[] };
  let buf = '';
  stream?.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    out.lines.push(...parts.filter(Boolean));
  });
  return out;
}

describe('v1 SDK client over STDIO (child process)', () => {
  let client: Client;
  let transport: StdioClientTransport;
  let stderr: { lines: string[] };
  const errors: Error[] = [];

  beforeAll(async () => {
    transport = new StdioClientTransport(serverParams());
    stderr = collect(transport.stderr as Readable | null);
    client = new Client({ name: 'v1-stdio-client', version: '1.0.0' });
    client.onerror = (e) => { errors.push(e); };
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    const pid = transport?.pid;
    await client?.close();
    // close() ends stdin and signals the child; make sure it is gone.
    if (pid) await until(() => !alive(pid), 10_000, 'the server process to exit');
  });

  it('initializes and identifies itself', () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'mcp-resource-server', version: '0.1.0' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true } });
  });

  it('lists and calls tools as the configured local principal', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(EXAMPLE_TOOLS);
    const weather = await client.callTool({ name: 'get_weather', arguments: { location: 'Berlin' } });
    expect(weather.structuredContent).toEqual({ location: 'Berlin', temperature: 16, units: 'celsius', condition: 'sunny', humidity: 29 });
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toEqual({ subject: 'stdio-user', clientId: 'local', scopes: ALL_SCOPES, headers: {} });
    const stats = await client.callTool({ name: 'get_called_tools', arguments: {} });
    expect((stats.structuredContent as { counts: unknown[] }).counts).toEqual([{ name: 'get_weather', calls: 1 }, { name: 'whoami', calls: 1 }]);
  });

  it('gets a prompt and reads resources', async () => {
    const help = await client.getPrompt({ name: 'help' });
    expect(help.messages[0].content).toMatchObject({ type: 'text', text: expect.stringContaining('I am signed in as stdio-user') });
    const info = await client.readResource({ uri: 'info://server' });
    expect(JSON.parse((info.contents[0] as { text: string }).text)).toMatchObject({ transports: ['streamable-http', 'stdio'] });
    const report = await client.readResource({ uri: 'weather://Paris' });
    expect((report.contents[0] as { text: string }).text).toMatch(/^Paris: /);
  });

  it('keeps logs on stderr: debug JSON lines there, nothing unparseable on stdout', async () => {
    await until(() => stderr.lines.some((l) => l.includes('"audit"')), 5000, 'audit log lines on stderr');
    const parsed = stderr.lines.map((l) => JSON.parse(l) as { level: string; message: string });
    expect(parsed.some((l) => l.message === 'serving MCP on stdio')).toBe(true);
    expect(parsed.filter((l) => l.message === 'audit').length).toBeGreaterThanOrEqual(3);
    // The client parses every stdout line as JSON-RPC; a stray log line would surface here.
    expect(errors).toEqual([]);
  });
});

describe('v2 SDK client over STDIO on 2026-07-28', () => {
  let client: ClientV2;
  let transport: StdioClientTransportV2;
  const errors: Error[] = [];

  beforeAll(async () => {
    transport = new StdioClientTransportV2(serverParams());
    client = new ClientV2({ name: 'v2-stdio-client', version: '2.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    client.onerror = (e) => { errors.push(e); };
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    const pid = transport?.pid;
    await client?.close();
    if (pid) await until(() => !alive(pid), 10_000, 'the server process to exit');
  });

  it('speaks the stateless revision over stdio', async () => {
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(EXAMPLE_TOOLS);
    const r = await client.callTool({ name: 'get_time', arguments: { timezone: 'UTC' } });
    expect(r.structuredContent).toMatchObject({ timezone: 'UTC' });
    const p = await client.getPrompt({ name: 'get_advice', arguments: { topic: 'career' } });
    expect(p.description).toBe('Advice on career');
    const res = await client.readResource({ uri: 'weather://Tokyo' });
    expect((res.contents[0] as { text: string }).text).toBe('Tokyo: 30 °C, sunny, humidity 89 %');
    expect(errors).toEqual([]);
  });
});

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
