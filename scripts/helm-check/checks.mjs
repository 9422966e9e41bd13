// What the rendered chart must say, object by object, for `npm run check:helm`: the same image,
// entrypoint and environment names as docker/Dockerfile and docker-compose.yml, the restricted
// security context, probes, graceful shutdown timing, and the production guarantees.
// Each function takes decoded objects (helm-check decode) and a `check(what, ok)` callback.

/** Environment names config.ts knows (keys of its one zod schema). */
export function configEnvNames(configSource) {
  const body = configSource.slice(configSource.indexOf('const schema = z.object({'), configSource.indexOf('\n});'));
  return new Set([...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]));
}

/** docker/Dockerfile's runtime stage: ENTRYPOINT, EXPOSE, USER and ENV PORT. */
export function dockerfileFacts(text) {
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  return {
    entrypoint: JSON.parse(runtime.match(/^ENTRYPOINT (\[.*\])$/m)?.[1] ?? 'null'),
    expose: Number(runtime.match(/^EXPOSE (\d+)$/m)?.[1]),
    user: runtime.match(/^USER (\S+)$/m)?.[1],
    port: Number(runtime.match(/\bPORT=(\d+)/)?.[1]),
    stopSignal: runtime.match(/^STOPSIGNAL (\S+)$/m)?.[1],
  };
}

export const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const one = (objects, kind) => byKind(objects, kind)[0];
const envNames = (container) => (container.env ?? []).map((e) => e.name);
const subset = (a = {}, b = {}) => Object.entries(a).every(([k, v]) => b[k] === v);

/** Checks every variant must pass. `ctx`: { configNames, pendingEnv, dockerfile, compose, drainSeconds, realm }. */
export function checkCommon(name, objects, ctx, check) {
  const deploys = byKind(objects, 'Deployment');
  check(`${name}: exactly one Deployment`, deploys.length === 1);
  const d = deploys[0];
  const pod = d?.spec.template.spec ?? {};
  const [c] = pod.containers ?? [];
  check(`${name}: one container`, pod.containers?.length === 1);

  // Same image and entrypoint as compose: no command/args, so the Dockerfile's ENTRYPOINT runs.
  check(`${name}: the container runs the image's ENTRYPOINT (no command or args), as compose does`,
    c.command == null && c.args == null && ctx.compose.entrypoint == null && ctx.compose.command == null
    && Array.isArray(ctx.dockerfile.entrypoint) && ctx.dockerfile.entrypoint.at(-1) === 'services/mcp-server/dist/main.js');
  check(`${name}: the image is mcp-resource-server (${c.image})`, /(^|\/)mcp-resource-server(:[\w.-]+|@sha256:[a-f0-9]{64})$/.test(c.image));

  // Environment: names config.ts reads; PORT agrees with the Dockerfile and containerPort.
  const unknown = envNames(c).filter((n) => !ctx.configNames.has(n) && !ctx.pendingEnv.includes(n));
  for (const n of unknown) console.error(`  ${name}: env ${n} is not a setting of services/mcp-server/src/config/config.ts`);
  check(`${name}: every env name is one config.ts knows (${envNames(c).length} names)`, unknown.length === 0);
  for (const n of envNames(c).filter((x) => ctx.pendingEnv.includes(x) && !ctx.configNames.has(x))) {
    console.error(`  NOTE ${name}: ${n} is not in config.ts yet (pending: Redis state sharing, issue #9 runtime part)`);
  }
  check(`${name}: env names are unique`, new Set(envNames(c)).size === envNames(c).length);
  const env = Object.fromEntries((c.env ?? []).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
  const port = c.ports?.find((p) => p.name === 'http')?.containerPort;
  check(`${name}: containerPort, PORT and the Dockerfile's EXPOSE agree (${ctx.dockerfile.expose})`, port === ctx.dockerfile.expose && Number(env.PORT) === port && ctx.dockerfile.port === port);
  check(`${name}: production mode on all interfaces`, env.NODE_ENV === 'production' && env.HOST === '0.0.0.0');
  check(`${name}: an issuer is configured (production refuses to start without one)`, Boolean(env.MCP_AUTH_ISSUERS));
  check(`${name}: secrets come from a Secret, never a literal value`, envNames(c).filter((n) => /SECRET|REDIS_URL/.test(n)).every((n) => {
    const e = c.env.find((x) => x.name === n);
    return e.valueFrom?.secretKeyRef || (n === 'REDIS_URL' && !/@/.test(e.value));
  }));

  // Restricted Pod Security Standard.
  const psc = pod.securityContext ?? {};
  const sc = c.securityContext ?? {};
  check(`${name}: pod runs as a numeric non-root user (the image's USER ${ctx.dockerfile.user} is a name)`, psc.runAsNonRoot === true && psc.runAsUser > 0 && ctx.dockerfile.user === 'node');
  check(`${name}: seccomp RuntimeDefault`, psc.seccompProfile?.type === 'RuntimeDefault');
  check(`${name}: container: no privilege escalation, read-only root, all capabilities dropped`,
    sc.allowPrivilegeEscalation === false && sc.readOnlyRootFilesystem === true && sc.capabilities?.drop?.includes('ALL') && !sc.capabilities?.add && sc.privileged !== true);
  check(`${name}: /tmp is a writable emptyDir, as compose's tmpfs`, c.volumeMounts?.some((m) => m.mountPath === '/tmp') && pod.volumes?.some((v) => v.emptyDir));
  check(`${name}: service account token not mounted`, pod.automountServiceAccountToken === false);

  // Probes on the server's own endpoints.
  const probe = (p, path) => p?.httpGet?.path === path && (p.httpGet.port === 'http' || p.httpGet.port === port);
  check(`${name}: startup and liveness probe /healthz, readiness /readyz`, probe(c.startupProbe, '/healthz') && probe(c.livenessProbe, '/healthz') && probe(c.readinessProbe, '/readyz'));
  check(`${name}: resources: cpu and memory requests, a memory limit`, Boolean(c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory));

  // Graceful shutdown: preStop sleep, then the server's drain, inside the grace period.
  const sleep = c.lifecycle?.preStop?.exec?.command;
  const sleepSeconds = sleep?.[0] === 'sleep' ? Number(sleep[1]) : NaN;
  check(`${name}: preStop sleeps before SIGTERM (${sleepSeconds} s)`, sleepSeconds > 0);
  check(`${name}: terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}) covers preStop + the server's drain and hard stop (${ctx.drainSeconds} s)`,
    pod.terminationGracePeriodSeconds >= sleepSeconds + ctx.drainSeconds);
  check(`${name}: the image stops on SIGTERM (the signal the kubelet sends)`, ctx.dockerfile.stopSignal === 'SIGTERM');
  check(`${name}: rolling updates keep capacity (maxUnavailable 0)`, d.spec.strategy?.rollingUpdate?.maxUnavailable === 0);

  // Spread and wiring.
  check(`${name}: topology spread over zones and nodes`, ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].every((k) => pod.topologySpreadConstraints?.some((t) => t.topologyKey === k)));
  const labels = d.spec.template.metadata.labels;
  check(`${name}: the Deployment's selector matches its pods`, subset(d.spec.selector.matchLabels, labels));
  const svc = one(objects, 'Service');
  check(`${name}: the Service selects the pods and targets the http port`, svc && subset(svc.spec.selector, labels) && svc.spec.ports.every((p) => p.targetPort === 'http'));
  const realm = one(objects, 'ConfigMap');
  check(`${name}: the realm ConfigMap holds keycloak/realm-mcp.json`, realm?.data?.['mcp-realm.json'] === ctx.realm.trimEnd());
  for (const kind of ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) {
    for (const o of byKind(objects, kind)) {
      const target = o.spec.scaleTargetRef?.name ?? null;
      const selector = o.spec.selector?.matchLabels ?? o.spec.podSelector?.matchLabels;
      check(`${name}: the ${kind} targets the pods`, target ? target === d.metadata.name : subset(selector, labels));
    }
  }
  return { deployment: d, container: c, env };
}

/** The production values file: 3+ replicas, HPA, PDB, NetworkPolicy, existing Secret, Redis. */
export function checkProduction(objects, { container }, check) {
  const hpa = one(objects, 'HorizontalPodAutoscaler');
  check('production: HPA with at least 3 replicas', hpa?.spec.minReplicas >= 3 && hpa.spec.maxReplicas >= hpa.spec.minReplicas);
  check('production: the HPA owns the replica count', one(objects, 'Deployment').spec.replicas === undefined);
  check('production: a PodDisruptionBudget', Boolean(one(objects, 'PodDisruptionBudget')));
  const np = one(objects, 'NetworkPolicy');
  check('production: a NetworkPolicy restricting ingress and egress', np?.spec.policyTypes.join() === 'Ingress,Egress' && np.spec.ingress?.[0]?.from?.length > 0);
  check('production: secrets from an existing Secret, none rendered', byKind(objects, 'Secret').length === 0
    && ['MCP_STATE_SECRET', 'MCP_INTROSPECTION_CLIENT_SECRET'].every((n) => container.env.find((e) => e.name === n)?.valueFrom?.secretKeyRef?.optional !== true));
  check('production: REDIS_URL from a Secret', Boolean(container.env.find((e) => e.name === 'REDIS_URL')?.valueFrom?.secretKeyRef));
}

/** Defaults: one replica, no Secret (no default secret value), nothing cluster-policy-specific. */
export function checkDefaults(objects, { deployment, container }, compose, check) {
  check('default: one replica, no HPA/PDB/NetworkPolicy', deployment.spec.replicas === 1
    && ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy'].every((k) => byKind(objects, k).length === 0));
  check('default: no Secret and no secret env (the chart has no default secret)', byKind(objects, 'Secret').length === 0
    && !container.env.some((e) => e.valueFrom));
  check(`default: the image compose builds (${compose.image})`, container.image === compose.image);
  check('default: metrics off (no MCP_METRICS, no metrics port, no scrape annotations)', !envNames(container).includes('MCP_METRICS')
    && container.ports.length === 1 && !deployment.spec.template.metadata.annotations?.['prometheus.io/scrape']);
}

/** Every variable compose gives the server, the chart can set by a named value (not extraEnv). */
export function checkComposeNames(objects, compose, check) {
  const names = new Set(envNames(one(objects, 'Deployment').spec.template.spec.containers[0]));
  const missing = Object.keys(compose.environment).filter((n) => !names.has(n));
  for (const n of missing) console.error(`  compose sets ${n}, which no chart value sets`);
  check(`every env name compose sets, the chart sets (${Object.keys(compose.environment).length} names)`, missing.length === 0);
}
