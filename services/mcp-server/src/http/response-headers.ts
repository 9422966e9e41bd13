/**
 * Response headers without Node's per-header map on the hot path. `setHeader` stores every
 * header as its own `[name, value]` array in a map that then goes into dictionary mode; with
 * the dozen security headers every MCP response carries, that was the largest allocation site
 * of a request (allocation sampling, docs/benchmarks.md). A `HeadResponse` (the response class
 * of the server createHttpServer makes) keeps the headers added here in one flat list and hands
 * them to `writeHead` as Node's flat `[name, value, …]` array, which bypasses the map.
 *
 * The pending headers behave exactly as if they had been set: any `setHeader`, `getHeader`,
 * `hasHeader`, `removeHeader`, … first moves them into Node's map, and a header passed to
 * `writeHead` wins over a pending one of the same name, as it wins over a set one. On any other
 * response (an embedding app's server, Express's own) the helpers below are plain `setHeader`s.
 *
 * It also carries one finish hook: a function shared by all responses, called when the response
 * emits 'finish', in place of a `once('finish', closure)` per request (a closure, Node's once
 * wrapper and a listener array each time; the access log measured about 5 % of throughput).
 */
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';

const PENDING = Symbol('pending headers');

/** Called once when a HeadResponse emits 'finish'. */
export type FinishHook = (res: HeadResponse) => void;

/** A response whose added headers wait, as one flat list, for `writeHead`. */
export class HeadResponse<Req extends IncomingMessage = IncomingMessage> extends ServerResponse<Req> {
  /** Flat `[name, value, …]`, lower-case names; shared with the caller's constant until copied. */
  [PENDING]: string[] | readonly string[] | undefined = undefined;
  /** True while PENDING is a caller's constant that must be copied before a push. */
  private shared = false;
  /** Runs at 'finish' (see onFinish). */
  private finishHook: FinishHook | undefined = undefined;
  /** `performance.now()` when the request arrived, for the finish hook's duration. */
  startedAt = 0;

  /** Calls `hook` (shared, not per request) once when the response finishes; one hook per response. */
  onFinish(hook: FinishHook, startedAt: number): void {
    this.finishHook = hook;
    this.startedAt = startedAt;
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'finish' && this.finishHook !== undefined) {
      const hook = this.finishHook;
      this.finishHook = undefined;
      hook(this);
    }
    return super.emit(event, ...args);
  }

  /**
   * Before the response is handed to code that replaces its prototype (Express): the pending
   * headers are set, and the finish hook becomes an ordinary listener, which survives the swap.
   */
  release(): void {
    this.settle();
    const hook = this.finishHook;
    if (hook === undefined) return;
    this.finishHook = undefined;
    this.once('finish', () => hook(this));
  }

  /**
   * Adds flat `[name, value, …]` pairs (lower-case names); the array may be kept, not copied.
   * A name already pending gets the new value, as a second setHeader would give it.
   */
  addPending(pairs: readonly string[]): void {
    const p = this[PENDING];
    if (p === undefined) { this[PENDING] = pairs; this.shared = true; return; }
    const own = this.shared ? p.slice() : (p as string[]);
    for (let i = 0; i < pairs.length; i += 2) {
      let j = 0;
      while (j < own.length && own[j] !== pairs[i]) j += 2;
      if (j < own.length) own[j + 1] = pairs[i + 1]!;
      else own.push(pairs[i]!, pairs[i + 1]!);
    }
    this[PENDING] = own;
    this.shared = false;
  }

  /** Moves the pending headers into Node's map (before anything reads or changes that map). */
  settle(): void {
    const p = this[PENDING];
    if (p === undefined) return;
    this[PENDING] = undefined;
    for (let i = 0; i < p.length; i += 2) super.setHeader(p[i]!, p[i + 1]!);
  }

  override setHeader(name: string, value: number | string | readonly string[]): this { this.settle(); return super.setHeader(name, value); }
  override appendHeader(name: string, value: string | readonly string[]): this { this.settle(); return super.appendHeader(name, value); }
  override getHeader(name: string): ReturnType<ServerResponse['getHeader']> { this.settle(); return super.getHeader(name); }
  override getHeaders(): OutgoingHttpHeaders { this.settle(); return super.getHeaders(); }
  override getHeaderNames(): string[] { this.settle(); return super.getHeaderNames(); }
  override hasHeader(name: string): boolean { this.settle(); return super.hasHeader(name); }
  override removeHeader(name: string): void { this.settle(); super.removeHeader(name); }

  // Also reached from res.end()/write() without a writeHead (Node's _implicitHeader).
  override writeHead(statusCode: number, a?: unknown, b?: unknown): this {
    const p = this[PENDING];
    if (p === undefined) return (super.writeHead as (s: number, x?: unknown, y?: unknown) => this)(statusCode, a, b);
    this[PENDING] = undefined;
    const reason = typeof a === 'string' ? a : undefined;
    const given = (typeof a === 'string' ? b : a) as OutgoingHttpHeaders | readonly string[] | undefined;
    return reason === undefined ? super.writeHead(statusCode, merge(p, given) as never) : super.writeHead(statusCode, reason, merge(p, given) as never);
  }
}

/** Pending pairs followed by `given` (an object or a flat array); a given name replaces a pending one. */
function merge(pending: readonly string[], given: OutgoingHttpHeaders | readonly string[] | undefined): readonly string[] {
  if (given === undefined) return pending;
  const extra: string[] = [];
  if (Array.isArray(given)) {
    for (let i = 0; i < given.length; i += 2) extra.push(String(given[i]).toLowerCase(), given[i + 1] as string);
  } else {
    for (const k in given as OutgoingHttpHeaders) {
      const v = (given as OutgoingHttpHeaders)[k];
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const one of v) extra.push(k.toLowerCase(), String(one));
      else extra.push(k.toLowerCase(), String(v));
    }
  }
  if (extra.length === 0) return pending;
  const out: string[] = [];
  for (let i = 0; i < pending.length; i += 2) {
    let replaced = false;
    for (let j = 0; j < extra.length; j += 2) if (extra[j] === pending[i]) { replaced = true; break; }
    if (!replaced) out.push(pending[i]!, pending[i + 1]!);
  }
  for (let j = 0; j < extra.length; j++) out.push(extra[j]!);
  return out;
}

/** Adds flat `[name, value, …]` pairs (lower-case names) to a response whose head is not sent. */
export function addHeaders(res: ServerResponse, pairs: readonly string[]): void {
  if (res instanceof HeadResponse) { res.addPending(pairs); return; }
  for (let i = 0; i < pairs.length; i += 2) res.setHeader(pairs[i]!, pairs[i + 1]!);
}

/** Adds one header (lower-case name) to a response whose head is not sent. */
export function addHeader(res: ServerResponse, name: string, value: string): void {
  if (res instanceof HeadResponse) res.addPending([name.toLowerCase(), value]);
  else res.setHeader(name, value);
}

/** Before handing the response to code that may replace its prototype (Express): pending headers set, finish hook as a listener (HeadResponse.release). */
export function releaseResponse(res: ServerResponse): void {
  if (res instanceof HeadResponse) res.release();
}
