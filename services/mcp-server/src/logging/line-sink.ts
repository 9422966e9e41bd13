/**
 * Batched log output: lines are appended to a string and written with one `write` per
 * event-loop turn (setImmediate), instead of one write per line. On exit (process.exit,
 * the end of the event loop, SIGTERM, SIGINT) whatever is pending is written synchronously,
 * so batching never loses a line.
 */
import { writeSync } from 'node:fs';

/** Where log lines go. */
export interface LineSink {
  /** Appends one complete line (ending in '\n'); it is written within this event-loop turn. */
  write(line: string): void;
  /** Writes everything pending now, synchronously when the sink has a file descriptor. */
  flushSync(): void;
}

/** Options for createLineSink. */
export interface LineSinkOptions {
  /** Destination stream, or a function naming it at each write (default process.stderr). */
  readonly stream?: NodeJS.WritableStream | (() => NodeJS.WritableStream);
  /** File descriptor behind the stream (default 2 while the stream is process.stderr): written directly. */
  readonly fd?: number;
  /** Pending characters that trigger an immediate write (default 64 KiB): bounds memory under bursts. */
  readonly maxPending?: number;
  /**
   * Streams without a descriptor get one write per line, as winston's transports did (default
   * false): for console redirections, whose consumers may take each write for one line.
   */
  readonly linePerWriteWithoutFd?: boolean;
  /** Runs the deferred flush (default setImmediate: after this turn's I/O callbacks). */
  readonly schedule?: (flush: () => void) => void;
}

/** Creates a batching sink. */
export function createLineSink(opts: LineSinkOptions = {}): LineSink {
  const target = opts.stream ?? process.stderr;
  const streamOf = typeof target === 'function' ? target : () => target;
  const fdOf = (stream: NodeJS.WritableStream) => opts.fd ?? (stream === process.stderr ? 2 : undefined);
  const maxPending = opts.maxPending ?? 65_536;
  const schedule = opts.schedule ?? ((fn: () => void) => void setImmediate(fn));
  let pending = '';
  let scheduled = false;
  // Writes queued in the stream (after a pipe stayed full): later ones must queue behind them.
  let queued = 0;

  const toStream = (stream: NodeJS.WritableStream, text: string | Buffer): void => {
    queued++;
    stream.write(text, () => { queued--; });
  };
  // Without a descriptor. Lines never contain a raw '\n' (JSON escapes it): splitting gives them back.
  const toPlainStream = (stream: NodeJS.WritableStream, text: string): void => {
    if (!opts.linePerWriteWithoutFd) toStream(stream, text);
    else for (const line of text.split('\n')) if (line !== '') stream.write(`${line}\n`);
  };

  // Straight to the descriptor, as Node writes stdio to files and TTYs: nothing waits in a
  // queue that process.exit would drop. In the loop (`loop`), a pipe full for `waitMs` falls
  // back to the stream's queue; at exit there is no later turn, so what did not fit is dropped.
  const drain = (waitMs: number, loop: boolean): void => {
    if (pending === '') return;
    const out = pending;
    pending = '';
    const stream = streamOf();
    const fd = fdOf(stream);
    if (fd === undefined) return toPlainStream(stream, out);
    if (loop && queued > 0) return toStream(stream, out);
    const rest = writeSyncFor(fd, Buffer.from(out, 'utf8'), waitMs);
    if (loop && rest.length > 0) toStream(stream, rest);
  };
  const flush = (): void => { scheduled = false; drain(50, true); };

  return {
    write(line) {
      pending += line;
      if (pending.length >= maxPending) flush();
      else if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flushSync() { drain(1000, false); },
  };
}

// Atomics.wait on it is a 1 ms sleep; made on the first full pipe, not per write.
let sleeper: Int32Array | undefined;

/** Writes `buf` to `fd`, waiting up to `budgetMs` in total while a non-blocking pipe is full; returns what is left. */
function writeSyncFor(fd: number, buf: Buffer, budgetMs: number): Buffer {
  let waited = 0;
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return Buffer.alloc(0); // stderr closed: nowhere to write
      if (waited++ >= budgetMs) break;
      Atomics.wait((sleeper ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 1);
    }
  }
  return buf;
}

/**
 * Flushes `sink` synchronously when the process ends: on 'exit', and on SIGTERM/SIGINT. A
 * signal nobody else handles is raised again after the flush, so its default action (ending the
 * process) is kept.
 */
export function flushOnExit(sink: LineSink, proc: NodeJS.Process = process): void {
  proc.on('exit', () => sink.flushSync());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const onSignal = (): void => {
      sink.flushSync();
      if (proc.listenerCount(signal) === 1) {
        proc.removeListener(signal, onSignal);
        proc.kill(proc.pid, signal);
      }
    };
    proc.on(signal, onSignal);
  }
}
