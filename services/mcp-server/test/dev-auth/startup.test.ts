import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createDevAuthServer } from '../../src/dev-auth/index.js';
import { ENV, RESOURCE } from './flow.js';

const quiet = { resource: RESOURCE, env: ENV, log: () => {} };

describe('loopback only', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to bind %s', async (host) => {
    await expect(createDevAuthServer({ ...quiet, host })).rejects.toThrow(/loopback only/);
  });

  it('refuses a non-loopback or path issuer', async () => {
    await expect(createDevAuthServer({ ...quiet, issuer: 'https://auth.example.com' })).rejects.toThrow(/loopback origin/);
    await expect(createDevAuthServer({ ...quiet, issuer: 'http://localhost:1/realms/mcp' })).rejects.toThrow(/loopback origin/);
  });

  it('binds localhost, frees the port on close, and prints the development banner', async () => {
    const lines: string[] = [];
    const s = await createDevAuthServer({ ...quiet, host: 'localhost', log: (l) => lines.push(l) });
    expect(s.issuer).toBe(`http://localhost:${s.port}`);
    expect(lines.join('\n')).toMatch(/DEVELOPMENT authorization server.*NOT FOR PRODUCTION/);
    expect((await fetch(`${s.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    await s.close();
    await expect(fetch(`${s.issuer}/jwks`)).rejects.toThrow();
  });

  it('generates demo secrets the realm leaves unset and reports them', async () => {
    const lines: string[] = [];
    const s = await createDevAuthServer({ resource: RESOURCE, env: {}, log: (l) => lines.push(l) });
    const pw = s.credentials.passwords.alice!;
    expect(pw).toMatch(/^[A-Za-z0-9]{20,}$/);
    expect(lines.some((l) => l.includes(pw))).toBe(true);
    await s.close();
  });
});

describe('cli', () => {
  it('prints ISSUER <url> on stdout when ready and exits on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../../src/dev-auth/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--resource', RESOURCE], {
      env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.resume();
    let out = '';
    const issuer = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^ISSUER (\S+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
    });
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const d = (await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
    expect(d.issuer).toBe(issuer);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toBe(`ISSUER ${issuer}\n`); // nothing else on stdout
  }, 30000);
});
