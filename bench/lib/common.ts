/**
 * What every bench server and the driver agree on: the trivial tool, the request bodies and
 * headers of each protocol era, and the `READY <url>` handshake of a server child.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The trivial tool every server exposes: echo the text back. */
export const TOOL = 'echo';
export const ECHO_TEXT = 'hello';
export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
export const ACCEPT = 'application/json, text/event-stream';
/** Audience / resource our bench server protects (a name, never dereferenced). */
export const RESOURCE = 'https://mcp.bench.invalid/mcp';

const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_CAPS = 'io.modelcontextprotocol/clientCapabilities';
const META_INFO = 'io.modelcontextprotocol/clientInfo';

/** A 2026-07-28 request body (per-request _meta envelope). */
export function modernBody(method: string, params: Record<string, unknown> = {}, id: number | string = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0', id, method,
    params: { ...params, _meta: { [META_VERSION]: MODERN, [META_CAPS]: {}, [META_INFO]: { name: 'bench', version: '1.0.0' } } },
  });
}

/** 2026-07-28 headers for `method` (Mcp-Name for named methods). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': MODERN, 'mcp-method': method };
  if (name !== undefined) h['mcp-name'] = name;
  return h;
}

/** A 2025-era request body (no envelope). */
export function legacyBody(method: string, params: Record<string, unknown> = {}, id: number | string = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

/** 2025-11-25 headers, with the session id when there is one. */
export function legacyHeaders(sessionId?: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': LEGACY };
  if (sessionId) h['mcp-session-id'] = sessionId;
  return h;
}

export const CALL_PARAMS = { name: TOOL, arguments: { text: ECHO_TEXT } };

/** Flag value from argv: `--name value`. */
export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** Listen on 127.0.0.1:0, print `READY <url> <ms since process start>`, exit cleanly on SIGTERM. */
export async function announce(server: Server, path = '/mcp', onClose?: () => Promise<void> | void): Promise<void> {
  // Long-lived streams (subscriptions/listen) must not be cut by the keep-alive defaults.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); server.listen(0, '127.0.0.1'); });
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`READY http://127.0.0.1:${port}${path} ${performance.now().toFixed(1)}\n`);
  const stop = () => {
    // A normal exit, so --cpu-prof writes its profile.
    server.closeAllConnections();
    server.close();
    void Promise.resolve(onClose?.()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The median (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
