/**
 * A throw-away redis-server on a free loopback port for tests (Debian's `redis-server`):
 * no persistence, no config file, killed when the test ends. Without the binary the caller
 * skips loudly, except under CI=true, where the missing prerequisite is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../bootstrap/harness.js';

/** A running redis-server. */
export interface RedisProcess { url: string; port: number; proc: ChildProcess; stop(): Promise<void> }

/** Whether `redis-server` can run here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** Skip message (or, under CI=true, an error) for a missing redis-server. */
export function missingRedis(what: string): void {
  const msg = `${what}: redis-server is not installed (Debian: apt-get install redis-server).`;
  if (process.env.CI === 'true') throw new Error(`${msg} CI requires it.`);
  console.error(`\n########\n${msg} Skipping (CI would fail).\n########\n`);
}

/** Start redis-server on `port` (a free one by default); resolves once it accepts connections. */
export async function startRedis(port?: number): Promise<RedisProcess> {
  const p = port ?? await freePort();
  const proc = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`redis-server did not start:\n${out}`)); }, 10_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) { clearTimeout(timer); resolve(); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited with ${code}:\n${out}`)); });
  });
  proc.removeAllListeners('exit');
  return {
    url: `redis://127.0.0.1:${p}`, port: p, proc,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      proc.once('exit', () => { clearTimeout(timer); resolve(); });
      proc.kill('SIGTERM');
    }),
  };
}
