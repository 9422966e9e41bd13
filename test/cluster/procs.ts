/**
 * Processes of the cluster test: redis-server, nginx and the replicas, each registered so
 * that every one started is stopped at the end, whatever happens (killAll on exit).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const live = new Set<ChildProcess>();

/** Register a process started elsewhere (the issuer) so that killAll stops it too. */
export function track(proc: ChildProcess): void {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
}

/** SIGKILL every process still running (synchronous: also usable in an 'exit' handler). */
export function killAll(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
  live.clear();
}

/** A process this test started, with the tail of what it printed. */
export class Proc {
  readonly proc: ChildProcess;
  private tail = '';
  readonly exited: Promise<void>;

  constructor(readonly name: string, cmd: string, args: string[], env: Record<string, string> = {}) {
    this.proc = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this.proc);
    const keep = (d: Buffer) => { this.tail = (this.tail + d.toString('utf8')).slice(-16_000); };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
    this.proc.on('error', (e) => keep(Buffer.from(`spawn error: ${e.message}\n`)));
    this.exited = new Promise((r) => this.proc.once('exit', () => { live.delete(this.proc); r(); }));
  }

  get running(): boolean { return this.proc.exitCode === null && this.proc.signalCode === null; }
  output(): string { return this.tail; }

  /** Send `signal`; SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 12_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill(signal);
    const timer = setTimeout(() => { if (this.running) this.proc.kill('SIGKILL'); }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A free loopback TCP port: the one helper the unit tests use too. */
export { freePort } from '../integration/support/mcp-server.js';

/** Poll `probe` every `everyMs` until it returns true; false at `timeoutMs`. */
export async function until(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe().catch(() => false)) return true;
    await sleep(everyMs);
  }
  return false;
}

/** Which of the binaries the test needs are missing from PATH. */
export function missingBinaries(): string[] {
  return ['redis-server', 'nginx'].filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0
    && spawnSync('sh', ['-c', `test -x /usr/sbin/${b} || test -x /usr/bin/${b}`]).status !== 0);
}

/** Resolve a binary from PATH or /usr/sbin (nginx lives there on Debian, outside a user PATH). */
export function binary(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name} || { test -x /usr/sbin/${name} && echo /usr/sbin/${name}; } || { test -x /usr/bin/${name} && echo /usr/bin/${name}; }`], { encoding: 'utf8' });
  return r.stdout.trim().split('\n')[0] || name;
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-cluster-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** redis-server on 127.0.0.1:port, no persistence; resolves once it answers PING. */
export async function startRedis(port: number, dir: string): Promise<Proc> {
  const p = new Proc('redis', binary('redis-server'), [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes', '--loglevel', 'warning',
  ]);
  const ok = await until(async () => {
    if (!p.running) throw new Error('redis-server exited');
    return tcpOpen(port);
  }, 10_000);
  if (!ok) { await p.stop('SIGKILL'); throw new Error(`redis-server did not start on ${port}:\n${p.output()}`); }
  return p;
}

/** Does something accept TCP connections on 127.0.0.1:port? */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
    s.connect(port, '127.0.0.1');
  });
}

/** nginx in the foreground: round-robin over `upstreams` on 127.0.0.1:port, everything in `dir`. */
export async function startNginx(port: number, upstreams: number[], dir: string, keepalive: boolean): Promise<Proc> {
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(port, upstreams, dir, keepalive));
  const bin = binary('nginx');
  const test = spawnSync(bin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf, '-t'], { encoding: 'utf8', timeout: 10_000 });
  if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`);
  const p = new Proc('nginx', bin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf]);
  if (!await until(async () => { if (!p.running) throw new Error('nginx exited'); return tcpOpen(port); }, 10_000)) {
    await p.stop('SIGKILL');
    throw new Error(`nginx did not start on ${port}:\n${p.output()}`);
  }
  return p;
}

/**
 * The proxy in front of the replicas, as an ingress would be: round-robin, a connection that
 * fails (refused, reset before the request was sent, timed out) or a 502 goes to the next
 * replica. POST is not idempotent, so nginx does not resend a request a replica already
 * received (no `non_idempotent`): a request in flight on a killed replica fails with 502.
 */
export function nginxConfig(port: number, upstreams: number[], dir: string, keepalive: boolean): string {
  const root = process.getuid?.() === 0;
  return `# generated by test/cluster
${root ? 'user root;\n' : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream mcp {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')}
${keepalive ? '    keepalive 16;\n    keepalive_timeout 4s;\n' : ''}  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_buffering off;
      proxy_request_buffering on;
      proxy_connect_timeout 1s;
      proxy_send_timeout 10s;
      proxy_read_timeout 30s;
      proxy_next_upstream error timeout http_502;
      proxy_next_upstream_tries 3;
      proxy_next_upstream_timeout 5s;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}
