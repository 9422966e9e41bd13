/**
 * Our MCP server as a separate process, started exactly as an operator would start it
 * (`tsx services/mcp-server/src/main.ts` with configuration in the environment), so the
 * integration tests exercise the real wiring: config → bootstrap → verifier → HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** A running server process. */
export interface McpServerProcess {
  /** http://localhost:<port>/mcp: the URL clients use, equal to MCP_RESOURCE_URI. */
  readonly url: string;
  /** http://localhost:<port> */
  readonly origin: string;
  /** Everything the process wrote to stdout and stderr (its JSON logs). */
  output(): string;
  /** GET /readyz: status code and body. */
  readyz(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => done(port));
    });
  });
}

/**
 * Starts the server on 127.0.0.1:`port` with `env` (MCP_* variables; nothing MCP_* is inherited
 * from the test process) and waits until /healthz answers.
 */
export async function startMcpServer(port: number, env: Record<string, string>): Promise<McpServerProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MCP_|KC_|PORT$|HOST$|LOG_LEVEL$|NODE_ENV$)/.test(k)));
  // `node --import tsx` (what node_modules/.bin/tsx does, minus its wrapper process): one pid to signal.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'services', 'mcp-server', 'src', 'main.ts')], {
    cwd: repoRoot,
    env: { ...inherited, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  const exited = once(child, 'exit');
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const origin = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the MCP server exited with ${String(child.exitCode)} during start-up:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the MCP server did not answer /healthz within 60 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `${origin}/mcp`,
    origin,
    output: () => output,
    async readyz() {
      const res = await fetch(`${origin}/readyz`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
