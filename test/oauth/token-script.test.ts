/**
 * `make token` (scripts/token.ts) against a real authorization server, the development AS run
 * as a separate process: a demo user's token through the real login page, and the machine
 * client's through client credentials, both addressed to the MCP resource.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { claimsOf, CREDENTIALS, spawnDevAs, type Child } from './support.js';

const run = promisify(execFile);
const resource = 'http://localhost:3999/mcp';
let as: Child;
let issuer: string;

beforeAll(async () => { ({ issuer, child: as } = await spawnDevAs(resource)); }, 60_000);
afterAll(async () => { await as?.stop(); });

const token = async (who: string) => {
  const { stdout } = await run('node_modules/.bin/tsx', ['scripts/token.ts', '--who', who, '--issuer', issuer, '--resource', resource], {
    env: { ...process.env, ...CREDENTIALS },
  });
  return stdout.trim();
};

describe('scripts/token.ts', () => {
  it('signs a demo user in through the login page and prints their token', async () => {
    expect(claimsOf(await token('bob'))).toMatchObject({ iss: issuer, aud: resource, sub: 'bob', client_id: 'mcp-inspector', scope: 'mcp:tools' });
  });

  it('prints the machine client token', async () => {
    expect(claimsOf(await token('m2m'))).toMatchObject({ iss: issuer, aud: resource, client_id: 'mcp-m2m' });
  });

  it('fails clearly when a password is missing', async () => {
    await expect(run('node_modules/.bin/tsx', ['scripts/token.ts', '--who', 'carol', '--issuer', issuer], { env: { ...process.env } }))
      .rejects.toMatchObject({ stderr: expect.stringContaining('set MCP_DEMO_CAROL_PASSWORD') });
  });
});
