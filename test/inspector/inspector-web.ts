/**
 * MCP Inspector's web UI as a child process on loopback: its own port (CLIENT_PORT; the
 * sandbox and app-origin ports left to the OS), a fresh session token, no browser auto-open,
 * secrets in memory only, and a private HOME with an empty catalog so nothing of the
 * developer's own ~/.mcp-inspector is read or written.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectorInstall } from './install.js';

/** A running Inspector web UI. */
export interface InspectorWeb {
  /** http://localhost:<port>: the origin the browser uses, so OAuth redirects go to http://localhost:<port>/oauth/callback. */
  readonly origin: string;
  /** The URL to open: origin plus the session token. */
  readonly url: string;
  /** Everything the process printed. */
  output(): string;
  /** SIGTERM to its process group, SIGKILL after 5 s; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `mcp-inspector --web` on 127.0.0.1:`port` with its state under `workDir`, and waits until it serves. */
export async function startInspectorWeb(install: InspectorInstall, port: number, workDir: string): Promise<InspectorWeb> {
  mkdirSync(workDir, { recursive: true });
  const catalog = join(workDir, 'mcp.json');
  // An empty catalog instead of the default one: the UI shows only the server the test adds.
  writeFileSync(catalog, '{ "mcpServers": {} }\n');
  const token = randomBytes(24).toString('hex');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: workDir,
    MCP_STORAGE_DIR: workDir,
    HOST: '127.0.0.1',
    CLIENT_PORT: String(port),
    // 0: OS-assigned, so these two never collide with anything else on the machine.
    MCP_SANDBOX_PORT: '0',
    MCP_APP_ORIGIN_PORT: '0',
    MCP_AUTO_OPEN_ENABLED: 'false',
    MCP_INSPECTOR_API_TOKEN: token,
    MCP_INSPECTOR_SECRET_STORE: 'memory',
    NO_COLOR: '1',
  };
  // detached: its own process group, so stop() ends the launcher and anything it spawned.
  const child = spawn(install.node, [install.launcher, '--web', '--catalog', catalog], { cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
  const exited = once(child, 'exit');
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      killGroup('SIGTERM');
      await exited;
      clearTimeout(timer);
    })();
    return stopped;
  };

  const origin = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`MCP Inspector exited with ${String(child.exitCode)} during start-up:\n${output.slice(-3000)}`);
    if (output.includes('is up and running')) {
      try {
        if ((await fetch(`${origin}/`)).ok) break;
      } catch {
        // not serving yet
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`MCP Inspector did not come up on ${origin} within 60 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { origin, url: `${origin}/?MCP_INSPECTOR_API_TOKEN=${token}`, output: () => output, stop };
}
