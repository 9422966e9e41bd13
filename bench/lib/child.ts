/**
 * Server children: spawn `node .cache/bench-build/bench/servers/<name>.js` (or the .ts through tsx), wait for its
 * `READY <url> <ms>` line, read its memory from /proc, stop it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let compiledDir: string | undefined;
/** Run servers from compiled JS under `dir` (relative to ROOT) from now on. */
export function useCompiled(dir: string): void { compiledDir = dir; }

/** A running server process. */
export interface Child {
  name: string;
  url: string;
  pid: number;
  proc: ChildProcess;
  /** Spawn to READY, measured by the driver (ms). */
  readyMs: number;
  /** performance.now() in the child when it printed READY: process start to listening (ms). */
  inProcessMs: number;
  stderr(): string;
}

/** Spawn a server and wait for READY (rejects with its stderr if it dies first). */
export function startServer(name: string, args: string[] = [], opts: { env?: Record<string, string>; nodeFlags?: string[]; timeoutMs?: number } = {}): Promise<Child> {
  const t0 = performance.now();
  // Compiled JS when bench/lib/build.ts has run (useCompiled), else through tsx.
  const entry = compiledDir ? [`${compiledDir}/bench/servers/${name}.js`] : ['--import', 'tsx', `bench/servers/${name}.ts`];
  const proc = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...entry, ...args], {
    cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { err = (err + d).slice(-8000); });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${name} did not print READY within ${opts.timeoutMs ?? 30000} ms\n${err}`)); }, opts.timeoutMs ?? 30_000);
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /READY (\S+) ([\d.]+)/.exec(out);
      if (m && timer.hasRef()) {
        clearTimeout(timer);
        timer.unref();
        resolve({ name, url: m[1], pid: proc.pid!, proc, readyMs: performance.now() - t0, inProcessMs: Number(m[2]), stderr: () => err });
      }
    });
    proc.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`${name} exited (${code ?? signal}) before READY\n${err}`)); });
  });
}

/** Stop a server: SIGTERM, then SIGKILL after 5 s. */
export async function stopServer(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => c.proc.once('exit', () => r()));
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Current and peak resident set size of a process, in bytes (Linux /proc). */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** Sample RSS every `ms` until stopped; returns the highest sample and VmHWM. */
export function watchRss(pid: number, ms = 100): { stop(): { peakRss: number; hwm: number } } {
  let peak = 0;
  const tick = () => { const m = memoryOf(pid); if (m.rss > peak) peak = m.rss; };
  tick();
  const timer = setInterval(tick, ms);
  return { stop() { clearInterval(timer); tick(); return { peakRss: peak, hwm: memoryOf(pid).hwm }; } };
}
