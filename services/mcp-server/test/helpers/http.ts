/**
 * HTTP helpers: the standard headers for each era, and a raw streaming client that parses
 * SSE as it arrives (supertest buffers, which cannot observe a stream or a disconnect).
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { META, MODERN_VERSION } from '../../src/mcp/protocol.js';

/** Accept header a conforming client sends. */
export const ACCEPT = 'application/json, text/event-stream';

/** Headers for a 2026-07-28 POST of `method` (and `name` for named methods). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': MODERN_VERSION, 'mcp-method': method };
  if (name !== undefined) h['mcp-name'] = name;
  return h;
}

/** Headers for a 2025 POST. */
export function legacyHeaders(version = '2025-11-25', sessionId?: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': version };
  if (sessionId) h['mcp-session-id'] = sessionId;
  return h;
}

/** A modern request body. */
export function modernBody(method: string, params: Record<string, unknown> = {}, id: string | number = 1, capabilities: Record<string, unknown> = {}): Record<string, unknown> {
  const { _meta, ...rest } = params as { _meta?: Record<string, unknown> };
  return { jsonrpc: '2.0', id, method, params: { ...rest, _meta: { [META.protocolVersion]: MODERN_VERSION, [META.clientCapabilities]: capabilities, ..._meta } } };
}

/** Parse complete SSE events out of a text buffer. */
export function parseSse(text: string): { event: string; data: unknown }[] {
  const out: { event: string; data: unknown }[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim() || block.startsWith(':')) continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) out.push({ event, data: JSON.parse(data.join('\n')) as unknown });
  }
  return out;
}

/** A streaming request in flight. */
export interface Stream {
  req: ClientRequest;
  response: Promise<IncomingMessage>;
  /** Raw text received so far. */
  text(): string;
  /** Resolves with the SSE messages once `predicate` holds for them. */
  until(predicate: (messages: unknown[]) => boolean, timeoutMs?: number): Promise<unknown[]>;
  /** Resolves when the response ends. */
  ended: Promise<void>;
}

/** Open a request with a raw client; `body` is written and ended unless `keepOpen`. */
export function openStream(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; keepOpen?: boolean }): Stream {
  let buffer = '';
  let waiters: (() => void)[] = [];
  let resolveEnded!: () => void;
  const ended = new Promise<void>((r) => { resolveEnded = r; });
  const req = httpRequest(url, { method: opts.method ?? 'POST', headers: opts.headers });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { buffer += chunk; for (const w of waiters) w(); });
      res.on('end', () => { resolveEnded(); for (const w of waiters) w(); });
      res.on('close', () => { resolveEnded(); for (const w of waiters) w(); });
      resolve(res);
    });
    req.on('error', reject);
  });
  response.catch(() => {});
  if (opts.body !== undefined) req.write(opts.body);
  if (!opts.keepOpen) req.end();
  const messages = () => parseSse(buffer).map((e) => e.data);
  return {
    req,
    response,
    ended,
    text: () => buffer,
    until(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; received so far:\n${buffer}`)), timeoutMs);
        const check = () => {
          const m = messages();
          if (predicate(m)) { clearTimeout(timer); waiters = waiters.filter((w) => w !== check); resolve(m); }
        };
        waiters.push(check);
        check();
      });
    },
  };
}
