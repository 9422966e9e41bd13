/**
 * The container promises of docker/Dockerfile and docker-compose.yml, checked on the running
 * stack: an unprivileged user on a read-only root filesystem, the image's HEALTHCHECK turning
 * healthy, `docker compose stop` draining a call in flight, and `down -v` leaving nothing.
 */
import assert from 'node:assert/strict';
import { clientCredentials } from '../../integration/support/keycloak.js';
import { callTool } from '../../integration/support/mcp-http.js';
import type { Appliance } from '../support/appliance.js';
import { portFree } from '../support/preflight.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs as `node` (uid 1000, not root) and cannot write its root filesystem, even as root. */
export async function nonRootReadOnly(a: Appliance): Promise<void> {
  const c = await a.stack.inspect('mcp-server');
  assert.equal(c.Config.User, 'node');
  assert.equal(c.HostConfig.ReadonlyRootfs, true);
  const uid = (await a.stack.compose(['exec', '-T', 'mcp-server', 'id', '-u'])).trim();
  assert.notEqual(uid, '0');
  assert.equal(uid, '1000');
  for (const asUser of [[], ['-u', '0']]) {
    const write = await a.stack.tryCompose(['exec', '-T', ...asUser, 'mcp-server', 'sh', '-c', 'echo x > /app/probe']);
    assert.notEqual(write.code, 0, `writing /app/probe ${asUser.length ? 'as root ' : ''}succeeded`);
    assert.match(write.stderr, /Read-only file system/);
  }
  // /tmp is the one writable place (tmpfs in the compose file).
  assert.equal((await a.stack.tryCompose(['exec', '-T', 'mcp-server', 'sh', '-c', 'echo x > /tmp/probe && rm /tmp/probe'])).code, 0);
}

/** The health status comes from the image's own HEALTHCHECK (GET /healthz), and it is healthy. */
export async function imageHealthcheck(a: Appliance): Promise<void> {
  const c = await a.stack.inspect('mcp-server');
  assert.ok(c.Config.Healthcheck?.Test.join(' ').includes('/healthz'), `healthcheck: ${JSON.stringify(c.Config.Healthcheck)}`);
  assert.equal(c.State.Health?.Status, 'healthy', JSON.stringify(c.State.Health?.Log?.slice(-2)));
  assert.equal(c.State.Health?.Log?.at(-1)?.ExitCode, 0);
  assert.equal((await a.stack.inspect('keycloak')).State.Health?.Status, 'healthy');
  const ready = await fetch(`${a.mcpOrigin}/readyz`);
  assert.equal(ready.status, 200, await ready.text());
}

/**
 * SIGTERM drains (docker compose stop): a generate_report call (6 steps, ~3 s) is running when
 * the server is stopped; the call still completes, and the process exits 0 before Docker's
 * 10 s SIGKILL deadline (exit 137 would mean it was killed).
 */
export async function stopDrains(a: Appliance): Promise<{ stopMs: number }> {
  const { access_token: token } = await clientCredentials(a.kc);
  const started = Date.now();
  const call = callTool(a.mcpUrl, token, 'generate_report', { topic: 'drain on stop', steps: 6 });
  await sleep(1_000);
  const stopStarted = Date.now();
  await a.stack.compose(['stop', 'mcp-server'], 30_000);
  const stopMs = Date.now() - stopStarted;
  const res = await call;
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const result = res.body.result as { isError?: boolean; structuredContent?: { steps: number; sections: string[] } } | undefined;
  assert.equal(result?.isError, undefined, JSON.stringify(res.body));
  assert.equal(result?.structuredContent?.steps, 6);
  assert.equal(result?.structuredContent?.sections.length, 6);
  assert.ok(Date.now() - started >= 3_000, 'the call ran its full length');
  const state = (await a.stack.inspect('mcp-server')).State;
  assert.equal(state.ExitCode, 0, `exit code ${state.ExitCode} (137: killed after the stop timeout)`);
  assert.ok(stopMs < 10_000, `stop took ${stopMs} ms`);
  const logs = (await a.stack.tryCompose(['logs', '--no-color', 'mcp-server'])).stdout;
  assert.match(logs, /shutting down/);
  return { stopMs };
}

/** `docker compose down -v`: no container, volume or network of the project remains; ports free. */
export async function downLeavesNothing(a: Appliance): Promise<void> {
  await a.stack.compose(['down', '-v'], 120_000);
  assert.deepEqual(await a.stack.leftovers(), []);
  assert.ok(await portFree(3000), 'port 3000 is free again');
  assert.ok(await portFree(8080), 'port 8080 is free again');
}
