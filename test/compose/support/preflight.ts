/**
 * Before the stack: is there a Docker engine with Compose v2, and are the README's host ports
 * free? No engine is a loud skip on a workstation and a failure under CI=true; a busy port
 * is always a failure, with the command that shows who holds it.
 */
import { createServer } from 'node:net';
import { run } from './stack.js';

/** Why the engine cannot be used, or undefined when it can. */
export async function engineMissing(): Promise<string | undefined> {
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
  if (info.code !== 0) return `no Docker engine answers (docker info: ${(info.stderr || info.stdout).trim().split('\n')[0] || `exit ${info.code}`})`;
  const compose = await run('docker', ['compose', 'version', '--short'], { timeoutMs: 20_000 });
  if (compose.code !== 0) return 'the Docker Compose v2 plugin is missing (docker compose version failed)';
  return undefined;
}

/** Versions for the log. */
export async function engineVersions(): Promise<string> {
  const engine = (await run('docker', ['info', '--format', '{{.ServerVersion}}'])).stdout.trim();
  const compose = (await run('docker', ['compose', 'version', '--short'])).stdout.trim();
  return `engine ${engine}, compose ${compose}`;
}

/** True when 127.0.0.1:`port` can be bound (the compose file publishes there). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Throws naming every busy port. */
export async function requireFreePorts(ports: readonly number[]): Promise<void> {
  const busy: number[] = [];
  for (const p of ports) if (!(await portFree(p))) busy.push(p);
  if (busy.length) {
    throw new Error(`port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} on 127.0.0.1 already in use: the README's stack publishes 3000 and 8080. `
      + `Stop whatever holds ${busy.length > 1 ? 'them' : 'it'} (ss -ltnp | grep -E ':(${busy.join('|')}) '; a running \`docker compose up\` or \`npm start\`?) and run again.`);
  }
}
