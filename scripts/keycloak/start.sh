#!/usr/bin/env bash
# Start a local Keycloak (Maven distribution, no Docker) in dev mode with the
# `mcp` realm from keycloak/realm-mcp.json imported at start.
#
#   scripts/keycloak/start.sh [--port N] [--management-port N] [--timeout SECONDS]
#
# Defaults: KC_PORT / KC_MANAGEMENT_PORT from the environment, else free ports
# on 127.0.0.1. The HTTP listener binds to 127.0.0.1 only and the issuer is
# pinned to http://localhost:<port>/realms/mcp (KC_PUBLIC_HOST overrides the
# host name). The database is in-memory (dev-mem): every start imports the
# realm afresh and nothing survives a stop.
#
# Secrets (demo passwords, client secrets, bootstrap admin) come from the
# environment; any that is unset is generated once and kept in
# .cache/keycloak/secrets.env (mode 600) so it stays the same across restarts.
# When ready it writes .cache/keycloak/run/keycloak.env (mode 600) with the URLs,
# pid and the effective secrets, and prints that path.
set -euo pipefail
# shellcheck source=scripts/keycloak/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

port="${KC_PORT:-}"
mgmt_port="${KC_MANAGEMENT_PORT:-}"
timeout="${KC_START_TIMEOUT:-240}"
while (($#)); do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --management-port) mgmt_port="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) kc_log "unknown argument: $1"; exit 2 ;;
  esac
done

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! port_in_use "$p"; then echo "$p"; return 0; fi
  done
  kc_log "no free port found"; return 1
}
random_secret() { LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32 || true; }

mkdir -p "$KC_RUN_DIR"
if [[ -f "$KC_PID_FILE" ]] && kill -0 "$(cat "$KC_PID_FILE")" 2>/dev/null; then
  kc_log "already running (pid $(cat "$KC_PID_FILE")); see $KC_ENV_FILE"
  echo "$KC_ENV_FILE"
  exit 0
fi
rm -f "$KC_PID_FILE" "$KC_ENV_FILE"

"$(dirname "${BASH_SOURCE[0]}")/fetch.sh" >/dev/null
kc_pick_java_home
# The realm's client registration policy "mcp-step-up-scopes" lives in our provider jar.
"$(dirname "${BASH_SOURCE[0]}")/build-provider.sh" "$KC_HOME"

[[ -n "$port" ]] || port="$(free_port)"
[[ -n "$mgmt_port" ]] || mgmt_port="$(free_port)"
if [[ "$port" == "$mgmt_port" ]]; then kc_log "port and management port must differ"; exit 2; fi
for p in "$port" "$mgmt_port"; do
  if port_in_use "$p"; then kc_log "port $p is already in use"; exit 1; fi
done

# Secrets: environment first, else the generated-once secrets file.
secrets_file="$KC_CACHE_DIR/secrets.env"
secret_vars=(MCP_DEMO_ALICE_PASSWORD MCP_DEMO_BOB_PASSWORD MCP_DEMO_ADMIN_PASSWORD
             MCP_M2M_CLIENT_SECRET MCP_M2M_DPOP_CLIENT_SECRET MCP_SERVER_CLIENT_SECRET
             KC_BOOTSTRAP_ADMIN_PASSWORD)
if [[ ! -f "$secrets_file" ]]; then
  ( umask 077
    for v in "${secret_vars[@]}"; do printf '%s=%s\n' "$v" "$(random_secret)"; done > "$secrets_file" )
  kc_log "generated demo secrets in $secrets_file"
fi
for v in "${secret_vars[@]}"; do
  if [[ -z "${!v:-}" ]]; then
    val="$(sed -n "s/^$v=//p" "$secrets_file" | head -n1)"
    # A variable newer than the secrets file: generate it once and keep it there too.
    if [[ -z "$val" ]]; then
      val="$(random_secret)"
      ( umask 077; printf '%s=%s\n' "$v" "$val" >> "$secrets_file" )
    fi
    printf -v "$v" '%s' "$val"
  fi
  # Values are substituted into the realm JSON verbatim: keep them JSON-safe.
  if [[ "${!v}" == *[\"\\]* ]]; then kc_log "$v must not contain \" or \\"; exit 2; fi
  export "${v?}"
done
export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
export MCP_RESOURCE_URI="${MCP_RESOURCE_URI:-http://localhost:3000/mcp}"
# MCP_DCR_SENDER_MUST_MATCH, MCP_DCR_CLIENT_URIS_MUST_MATCH, MCP_DCR_EXTRA_TRUSTED_HOST and
# KC_FEATURES pass through when set; otherwise the defaults written in the realm file apply.

public_host="${KC_PUBLIC_HOST:-localhost}"
base_url="http://$public_host:$port"
mgmt_url="http://127.0.0.1:$mgmt_port"

# Realm import: start-dev --import-realm reads data/import/<realm>-realm.json.
mkdir -p "$KC_HOME/data/import"
cp "$KC_REPO_ROOT/keycloak/realm-mcp.json" "$KC_HOME/data/import/mcp-realm.json"

args=(start-dev --import-realm
      --db=dev-mem
      --http-host=127.0.0.1 "--http-port=$port"
      "--hostname=$base_url"
      --health-enabled=true "--http-management-port=$mgmt_port"
      --cache=local)
[[ -n "${KC_FEATURES:-}" ]] && args+=("--features=$KC_FEATURES")

kc_log "starting Keycloak $KC_VERSION on $base_url (management $mgmt_url, JAVA_HOME=${JAVA_HOME:-default java})"
: > "$KC_LOG_FILE"
# setsid: Keycloak gets its own process group so stop.sh can signal all of it.
setsid "$KC_HOME/bin/kc.sh" "${args[@]}" >> "$KC_LOG_FILE" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$KC_PID_FILE"
# Interrupted while waiting: Keycloak runs in its own session, so stop it here or it outlives us.
trap '"$(dirname "${BASH_SOURCE[0]}")/stop.sh" >/dev/null 2>&1 || true; exit 130' INT TERM

deadline=$(( SECONDS + timeout ))
until curl -fsS -o /dev/null "$mgmt_url/health/ready" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    kc_log "Keycloak exited during start; last log lines:"; tail -n 40 "$KC_LOG_FILE" >&2
    rm -f "$KC_PID_FILE"; exit 1
  fi
  if (( SECONDS >= deadline )); then
    kc_log "not ready after ${timeout}s; last log lines:"; tail -n 40 "$KC_LOG_FILE" >&2
    "$(dirname "${BASH_SOURCE[0]}")/stop.sh" || true
    exit 1
  fi
  sleep 1
done
if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/realms/mcp/.well-known/openid-configuration"; then
  kc_log "Keycloak is up but realm mcp is missing; see $KC_LOG_FILE"
  "$(dirname "${BASH_SOURCE[0]}")/stop.sh" || true
  exit 1
fi

trap - INT TERM
( umask 077
  {
    printf 'KC_PID=%s\n' "$pid"
    printf 'KC_VERSION=%s\n' "$KC_VERSION"
    printf 'KC_BASE_URL=%s\n' "$base_url"
    printf 'KC_ISSUER=%s\n' "$base_url/realms/mcp"
    printf 'KC_MANAGEMENT_URL=%s\n' "$mgmt_url"
    printf 'KC_LOG_FILE=%s\n' "$KC_LOG_FILE"
    printf 'KC_BOOTSTRAP_ADMIN_USERNAME=%s\n' "$KC_BOOTSTRAP_ADMIN_USERNAME"
    printf 'MCP_RESOURCE_URI=%s\n' "$MCP_RESOURCE_URI"
    for v in "${secret_vars[@]}"; do printf '%s=%s\n' "$v" "${!v}"; done
  } > "$KC_ENV_FILE" )
kc_log "ready after ${SECONDS}s: issuer $base_url/realms/mcp"
echo "$KC_ENV_FILE"
