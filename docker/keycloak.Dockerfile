# Keycloak for the appliance: the upstream image plus our provider jar
# (keycloak/providers/mcp-step-up-scopes: lets dynamically registered MCP clients step up to
# privileged scopes). Build with the repository root as context:
#   docker build -f docker/keycloak.Dockerfile -t mcp-keycloak .
# docker compose builds it by itself. The version is pinned in keycloak/VERSION; compose passes
# it as KEYCLOAK_IMAGE.
ARG KEYCLOAK_IMAGE=quay.io/keycloak/keycloak:26.7.4
# Any Debian with apt serves to compile one small jar; the server's own base image is already
# on the machine, so no extra image is pulled.
ARG JDK_BASE_IMAGE=node:24.11.1-bookworm-slim

FROM ${KEYCLOAK_IMAGE} AS keycloak

# --- provider: compiled against the very Keycloak jars it will run with -----------------
FROM ${JDK_BASE_IMAGE} AS provider
# The man directory must exist for the JDK package's postinst on slim images.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
COPY --from=keycloak /opt/keycloak/lib/lib/main /keycloak/lib/lib/main
COPY keycloak/providers/mcp-step-up-scopes /src/keycloak/providers/mcp-step-up-scopes
COPY scripts/keycloak/build-provider.sh /src/scripts/keycloak/build-provider.sh
RUN bash /src/scripts/keycloak/build-provider.sh /keycloak /out/mcp-step-up-scopes.jar

# --- runtime: upstream Keycloak, unchanged but for the provider --------------------------
FROM ${KEYCLOAK_IMAGE}
COPY --from=provider /out/mcp-step-up-scopes.jar /opt/keycloak/providers/mcp-step-up-scopes.jar
