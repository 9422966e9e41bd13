/**
 * Servers the bench does not write itself: our shipped binary (services/mcp-server/dist/main.js
 * after `npm run build`) and the Python peers. They print no READY line, so the driver picks a
 * free port, spawns them with stdout/stderr going to a log file (as a deployment's log
 * collector would take them; the driver reads nothing while it measures), and polls until the
 * port answers HTTP.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Child } from './child.js';
import { ROOT } from './child.js';

export const LOG_DIR = join(ROOT, '.cache/bench-logs');

/** A free TCP port on 127.0.0.1 (closed again before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function tail(file: string): string {
  try { return readFileSync(file, 'utf8').slice(-3000); } catch { return ''; }
}

/**
 * Spawn `cmd args` with `env` (replacing the driver's environment except PATH and HOME), its
 * output appended to `.cache/bench-logs/<name>.log`, and wait until `probe` answers any HTTP
 * status; `url` is what the cases then drive.
 */
export async function startExternal(name: string, cmd: string, args: string[], opts: { env: Record<string, string>; probe: string; url: string; timeoutMs?: number }): Promise<Child> {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = `${LOG_DIR}/${name}.log`;
  const fd = openSync(logFile, 'w');
  const t0 = performance.now();
  const proc = spawn(cmd, args, {
    cwd: ROOT, stdio: ['ignore', fd, fd],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...opts.env },
  });
  closeSync(fd);
  let exited: string | undefined;
  proc.once('exit', (code, signal) => { exited = String(code ?? signal); });
  const deadline = t0 + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited (${exited}) before answering; ${logFile}:\n${tail(logFile)}`);
    if (performance.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`${name} did not answer ${opts.probe} within ${opts.timeoutMs ?? 60_000} ms; ${logFile}:\n${tail(logFile)}`); }
    try {
      await fetch(opts.probe, { signal: AbortSignal.timeout(1000) });
      break;
    } catch { await new Promise((r) => setTimeout(r, 20)); }
  }
  return { name, url: opts.url, pid: proc.pid!, proc, readyMs: performance.now() - t0, inProcessMs: NaN, stderr: () => tail(logFile) };
}

/** `npm run build` (tsc) for the shipped binary; returns the problem, if any, in one line plus tsc's errors. */
export function buildShipped(): string | undefined {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0) return undefined;
  const errors = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => /error/i.test(l)).slice(0, 5).join('\n    ');
  return `npm run build failed (exit ${r.status ?? r.signal}): ${errors}`;
}
