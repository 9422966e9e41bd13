# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this
# Shared settings for the Keycloak scripts. Sourced, not executed.

KC_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KC_VERSION="${KC_VERSION:-$(tr -d '[:space:]' < "$KC_REPO_ROOT/keycloak/VERSION")}"
KC_CACHE_DIR="${KC_CACHE_DIR:-$KC_REPO_ROOT/.cache/keycloak}"
KC_HOME="$KC_CACHE_DIR/keycloak-$KC_VERSION"
KC_RUN_DIR="${KC_RUN_DIR:-$KC_CACHE_DIR/run}"
KC_PID_FILE="$KC_RUN_DIR/keycloak.pid"
KC_LOG_FILE="$KC_RUN_DIR/keycloak.log"
KC_ENV_FILE="$KC_RUN_DIR/keycloak.env"

# Pick a JDK: honour an explicit KC_JAVA_HOME, else the newest JDK >= 21
# under /usr/lib/jvm or /opt, else whatever JAVA_HOME / `java` already is (17).
kc_pick_java_home() {
  if [[ -n "${KC_JAVA_HOME:-}" ]]; then
    export JAVA_HOME="$KC_JAVA_HOME"
    return
  fi
  local best="" best_major=0 dir major release
  for dir in /usr/lib/jvm/* /opt/*jdk* /opt/java/* /opt/*/jdk*; do
    [[ -x "$dir/bin/java" && -f "$dir/release" ]] || continue
    release="$dir/release"
    major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if (( major >= 21 && major > best_major )); then
      best="$dir"
      best_major="$major"
    fi
  done
  if [[ -n "$best" ]]; then
    export JAVA_HOME="$best"
  fi
}

kc_log() { printf '[keycloak] %s\n' "$*" >&2; }
