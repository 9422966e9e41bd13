/**
 * The Docker path of the Keycloak harness: one Keycloak container through testcontainers (a
 * devDependency, still imported dynamically so the local path works without it), run from the
 * image docker/keycloak.Dockerfile builds on the upstream one (keycloak-image.ts), and the one
 * error that says why a container could not start.
 *
 * Test machines and CI sandboxes often reach no container registry, so:
 *  - an image present locally is used as is: the build pulls a base image only when it is
 *    missing, and testcontainers runs the built image with its default pull policy (pull only
 *    when missing; an "always pull" policy would fail on a registry lookup every time);
 *  - Ryuk, the reaper container testcontainers starts first, is disabled (its image would have
 *    to be pulled): the harness removes its own containers, through stop() and, should a run
 *    end without stop(), `docker rm -f` from a process exit hook.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { buildKeycloakImage } from './keycloak-image.js';

/** What the harness asks of a container start (everything already resolved). */
export interface ContainerRequest {
  /** The upstream Keycloak image built on, e.g. quay.io/keycloak/keycloak:26.7.4. */
  readonly image: string;
  /** The repository root: build context of docker/keycloak.Dockerfile. */
  readonly repoRoot: string;
  /** Keycloak's environment (realm placeholders, bootstrap admin, extras). */
  readonly env: Record<string, string>;
  /** Fixed host port for container port 8080, chosen up front so the issuer is known. */
  readonly hostPort: number;
  /** http://localhost:<hostPort>, pinned as Keycloak's hostname (and so the issuer). */
  readonly baseUrl: string;
  /** Path of the realm JSON to import. */
  readonly realmFile: string;
  readonly startTimeoutMs: number;
}

/** A started Keycloak container. */
export interface RunningContainer {
  readonly id: string;
  /** Stops and removes the container; safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts a Keycloak container; injectable so the harness's mode choice is testable. */
export type ContainerStarter = (req: ContainerRequest) => Promise<RunningContainer>;

/** Why the Keycloak container could not be started: names the image and the cause. */
export class KeycloakContainerError extends Error {
  constructor(
    readonly image: string,
    readonly reason: string,
  ) {
    super(`Keycloak container (image ${image}) could not be started: ${reason}`);
    this.name = 'KeycloakContainerError';
  }
}

/** The first line of an error, which for Docker API errors is the daemon's own sentence. */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim().slice(0, 400);
}

/** Wraps any start failure as a KeycloakContainerError (kept as is when it already is one). */
export function containerFailure(image: string, err: unknown): KeycloakContainerError {
  return err instanceof KeycloakContainerError ? err : new KeycloakContainerError(image, firstLine(err));
}

// ---------------------------------------------------------------------------------------------
// the engine

type EngineTarget = { socketPath: string } | { host: string; port: number };

/** Where DOCKER_HOST (unix or tcp) or the default socket points; undefined when no socket file. */
function engineTarget(): EngineTarget | undefined {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('tcp://')) {
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: u.hostname, port: Number(u.port || 2375) };
  }
  const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
  return existsSync(socketPath) ? { socketPath } : undefined;
}

/** Human-readable name of the engine endpoint probed, for messages. */
export function engineEndpoint(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

/** GET on the engine API; resolves to status and body, or undefined when nothing answers. */
function engineGet(path: string): Promise<{ status: number; body: string } | undefined> {
  const target = engineTarget();
  if (!target) return Promise.resolve(undefined);
  return new Promise((done) => {
    const req = request({ ...target, path, method: 'GET', timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}

/** True when a Docker engine answers /_ping on DOCKER_HOST (unix or tcp) or the default socket. */
export async function dockerReachable(): Promise<boolean> {
  return (await engineGet('/_ping'))?.status === 200;
}

/** True when the engine has the image locally (GET /images/<name>/json is 200). */
export async function imagePresent(image: string): Promise<boolean> {
  return (await engineGet(`/images/${encodeURIComponent(image)}/json`))?.status === 200;
}

/**
 * The address of the default bridge's gateway: connections to a published port arrive in the
 * container from there (docker-proxy), so that is the "sending host" Keycloak's Trusted Hosts
 * policy sees for a registration sent to localhost. The subnet's first address when the engine
 * does not report the gateway (it is docker0's address).
 */
export async function bridgeGateway(): Promise<string | undefined> {
  const res = await engineGet('/networks/bridge');
  if (res?.status !== 200) return undefined;
  const ipam = (JSON.parse(res.body) as { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] } }).IPAM?.Config ?? [];
  const v4 = ipam.find((c) => c.Subnet && !c.Subnet.includes(':'));
  if (v4?.Gateway) return v4.Gateway;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(v4?.Subnet ?? '');
  return m ? `${m[1]}.${m[2]}.${m[3]}.${Number(m[4]) + 1}` : undefined;
}

/** Keycloak's own reason when it exited during start-up (its `ERROR:` lines), else the first line. */
export function startFailureReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (!text.includes('Container exited')) return firstLine(err);
  const errors = [...new Set(text.split('\n').map((l) => /ERROR: (.*)$/.exec(l)?.[1]?.trim()).filter((l): l is string => !!l))];
  return `Keycloak exited during start-up${errors.length ? `: ${errors.join('; ')}` : ` (${firstLine(err)})`}`;
}

// ---------------------------------------------------------------------------------------------
// testcontainers

/** The slice of the testcontainers API used here (so this file type-checks without the package). */
interface StartedContainer {
  getId(): string;
  stop(): Promise<unknown>;
}
interface ContainerBuilder {
  withEnvironment(env: Record<string, string>): ContainerBuilder;
  withCopyFilesToContainer(files: { source: string; target: string }[]): ContainerBuilder;
  withCommand(cmd: string[]): ContainerBuilder;
  withExposedPorts(...ports: ({ container: number; host: number } | number)[]): ContainerBuilder;
  withLabels(labels: Record<string, string>): ContainerBuilder;
  withPullPolicy(policy: unknown): ContainerBuilder;
  withWaitStrategy(strategy: unknown): ContainerBuilder;
  withStartupTimeout(ms: number): ContainerBuilder;
  start(): Promise<StartedContainer>;
}
interface TestcontainersModule {
  GenericContainer: new (image: string) => ContainerBuilder;
  PullPolicy: { defaultPolicy(): unknown };
  Wait: { forHttp(path: string, port: number, options?: { abortOnContainerExit?: boolean }): { forStatusCode(code: number): unknown } };
}

async function loadTestcontainers(): Promise<TestcontainersModule | undefined> {
  // A variable specifier keeps TypeScript (and bundlers) from resolving the optional package.
  const specifier = 'testcontainers';
  try {
    return (await import(specifier)) as TestcontainersModule;
  } catch {
    return undefined;
  }
}

/** Label on every harness container, so a leftover one is easy to find (`docker ps --filter`). */
export const HARNESS_LABEL = 'mcp-resource-server.test-harness';

/** The real ContainerStarter: testcontainers against the engine, no Ryuk, no forced pull. */
export async function startKeycloakContainer(req: ContainerRequest): Promise<RunningContainer> {
  // Respect an explicit setting (a machine with a registry may want Ryuk); default: off.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const tc = await loadTestcontainers();
  if (!tc) throw new KeycloakContainerError(req.image, 'the "testcontainers" package is not installed (npm install)');
  if (!(await dockerReachable())) throw new KeycloakContainerError(req.image, `no Docker engine answers at ${engineEndpoint()}`);
  const present = await imagePresent(req.image);
  let image: string;
  try {
    image = await buildKeycloakImage(req.image, req.repoRoot);
  } catch (err) {
    throw new KeycloakContainerError(
      req.image,
      present
        ? `building docker/keycloak.Dockerfile on it failed: ${firstLine(err)}`
        : `the image is not present locally and pulling it failed (${firstLine(err)}); load it into the engine first (docker image ls), or use KEYCLOAK_HARNESS_MODE=local`,
    );
  }

  let started: StartedContainer;
  try {
    started = await new tc.GenericContainer(image)
      .withPullPolicy(tc.PullPolicy.defaultPolicy())
      .withLabels({ [HARNESS_LABEL]: 'keycloak' })
      .withEnvironment(req.env)
      .withCopyFilesToContainer([{ source: req.realmFile, target: '/opt/keycloak/data/import/mcp-realm.json' }])
      .withCommand(['start-dev', '--import-realm', '--db=dev-mem', `--hostname=${req.baseUrl}`, '--health-enabled=true'])
      .withExposedPorts({ container: 8080, host: req.hostPort }, 9000)
      // abortOnContainerExit: a Keycloak that exits (bad realm, bad option) fails now, with its
      // last log lines, instead of after the whole start-up timeout.
      .withWaitStrategy(tc.Wait.forHttp('/health/ready', 9000, { abortOnContainerExit: true }).forStatusCode(200))
      .withStartupTimeout(req.startTimeoutMs)
      .start();
  } catch (err) {
    throw new KeycloakContainerError(image, startFailureReason(err));
  }

  const id = started.getId();
  // Without Ryuk nothing else removes the container if the run ends before stop().
  const onExit = () => {
    spawnSync('docker', ['rm', '-f', id], { stdio: 'ignore', timeout: 20_000 });
  };
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  return {
    id,
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', onExit);
        await started.stop();
      })();
      return stopped;
    },
  };
}
