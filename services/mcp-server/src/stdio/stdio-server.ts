/**
 * The STDIO transport (basic/transports/stdio): newline-delimited JSON-RPC on stdin/stdout,
 * both eras over the same engine. Only protocol messages go to stdout; logs go to stderr.
 */
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../mcp/engine.js';
import { errorReply } from '../mcp/engine.js';
import type { Exchange, LegacySession } from '../mcp/exchange.js';
import { invalidRequest } from '../mcp/errors.js';
import { classify } from '../mcp/jsonrpc.js';
import { principalKey, type Principal } from '../mcp/principal.js';
import { ErrorCodes, META, type JsonObject, type JsonRpcRequest, type RequestId } from '../mcp/protocol.js';
import { PendingRequests } from '../http/pending-requests.js';
import { createLineReader } from './line-reader.js';

/** Options for serveStdio. */
export interface StdioOptions {
  engine: Engine;
  /** The local principal every request runs as. */
  principal: Principal;
  input?: Readable;
  output?: Writable;
  /** Largest message in bytes (default 4 MiB). */
  maxMessageBytes?: number;
}

/** Serve until stdin ends; resolves then. */
export function serveStdio(opts: StdioOptions): { done: Promise<void>; close(): void } {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const max = opts.maxMessageBytes ?? 4 * 1024 * 1024;
  const owner = principalKey(opts.principal);
  const pending = new PendingRequests();
  const inFlight = new Map<RequestId, AbortController>();
  let session: LegacySession | undefined;

  const write = (msg: unknown) => { if (output.writable) output.write(`${typeof msg === 'string' ? msg : JSON.stringify(msg)}\n`); };
  const fail = (id: RequestId | null, code: number, message: string) => write({ jsonrpc: '2.0', id, error: { code, message } });

  async function serve(req: JsonRpcRequest): Promise<void> {
    const modern = hasModernMeta(req) || (req.method !== 'initialize' && !session);
    if (req.method === 'initialize') {
      session = { owner, protocolVersion: '2025-03-26', subscriptions: new Set(), initialized: false, lastSeen: Date.now() };
    }
    const abort = new AbortController();
    inFlight.set(req.id, abort);
    const ex: Exchange = {
      era: modern ? 'modern' : 'legacy',
      protocolVersion: modern ? String((req.params?._meta as JsonObject | undefined)?.[META.protocolVersion] ?? '') : session!.protocolVersion,
      principal: opts.principal,
      headers: {},
      signal: abort.signal,
      session: modern ? undefined : session,
      notify: (n) => { if (!abort.signal.aborted) write(n); },
      request: modern ? undefined : (method, params) => {
        const { id, result } = pending.open(owner, abort.signal);
        write({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
        return result;
      },
    };
    const reply = await opts.engine.dispatch(req, ex);
    inFlight.delete(req.id);
    // cancellation: no response is sent for a request the client cancelled.
    if (!abort.signal.aborted) write(reply.body);
  }

  function onLine(line: string): void {
    let value: unknown;
    try { value = JSON.parse(line); } catch { return fail(null, ErrorCodes.ParseError, 'Parse error: each line must be one JSON-RPC message'); }
    if (Array.isArray(value)) return fail(null, ErrorCodes.InvalidRequest, 'Batches are not supported on this transport: send one message per line');
    const c = classify(value);
    if (c.kind === 'invalid') return write(errorReply(c.id, invalidRequest(`Invalid Request: ${c.reason}`), 'modern').body);
    if (c.kind === 'response') { pending.settle(owner, c.message); return; }
    if (c.kind === 'notification') {
      if (c.message.method === 'notifications/cancelled') {
        const id = (c.message.params as { requestId?: RequestId } | undefined)?.requestId;
        if (id !== undefined) inFlight.get(id)?.abort();
        return;
      }
      if (session) opts.engine.notification(c.message, { era: 'legacy', protocolVersion: session.protocolVersion, principal: opts.principal, headers: {}, signal: new AbortController().signal, session, notify() {} });
      return;
    }
    void serve(c.message);
  }

  const push = createLineReader(max, onLine, () => fail(null, ErrorCodes.InvalidRequest, `Message exceeds the ${max} byte limit`));
  const onData = (chunk: Buffer | string) => push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  input.on('data', onData);
  const done = new Promise<void>((resolve) => { input.once('end', resolve); input.once('close', resolve); });
  return {
    done,
    close() {
      input.off('data', onData);
      for (const a of inFlight.values()) a.abort();
      opts.engine.close();
    },
  };
}

function hasModernMeta(req: JsonRpcRequest): boolean {
  const meta = req.params?._meta;
  return meta !== null && typeof meta === 'object' && META.protocolVersion in (meta as object);
}
