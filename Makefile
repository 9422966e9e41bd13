# Convenience targets for the appliance. Everything here is also reachable with plain
# npm / docker / scripts commands (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
ENV_FILE ?= .env
# Load .env (if present) for the targets that need credentials.
LOAD_ENV = set -a; [ -f $(ENV_FILE) ] && . ./$(ENV_FILE); set +a;
KC_RUN_ENV = .cache/keycloak/run/keycloak.env

.PHONY: help up down logs keycloak keycloak-stop token inspector test start

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

up: ## docker compose: Keycloak (realm mcp) + the MCP server, detached
	@[ -f $(ENV_FILE) ] || { echo "No $(ENV_FILE): run 'cp .env.example .env' first"; exit 1; }
	docker compose up -d --build

down: ## docker compose: stop and remove the stack
	docker compose down

logs: ## docker compose: follow the logs
	docker compose logs -f

keycloak: ## No Docker: fetch Keycloak from Maven Central, import the realm, start it
	@$(LOAD_ENV) scripts/keycloak/start.sh

keycloak-stop: ## Stop the Keycloak started by `make keycloak`
	scripts/keycloak/stop.sh

start: ## Build and start the MCP server (uses .env when present)
	@$(LOAD_ENV) npm start

token: ## Print an access token for curl: WHO=m2m (client credentials, default) or WHO=alice|bob|admin
	@$(LOAD_ENV) [ -f $(KC_RUN_ENV) ] && . ./$(KC_RUN_ENV); node_modules/.bin/tsx scripts/token.ts --who $(or $(WHO),m2m)

inspector: ## How to connect MCP Inspector with OAuth
	@echo "1. Start the server:     npm start          (or: make up / make keycloak + make start)"
	@echo "2. Start the Inspector:  npx @modelcontextprotocol/inspector"
	@echo "3. In the Inspector:     Transport 'Streamable HTTP', URL http://localhost:3000/mcp, Connect"
	@echo "4. Sign in when redirected (demo users alice / bob / admin; passwords in .env or the dev banner)"

test: ## Everything CI runs
	npm test
