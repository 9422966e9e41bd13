package mcp.keycloak;

import java.util.List;
import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

/**
 * Attaches the configured client scopes to every dynamically registered client as optional
 * scopes, so that the client can later ask for them (a step-up after an MCP server's 403
 * insufficient_scope, RFC 6750 §3.1; MCP 2025-11-25 authorization §Step-Up Authorization Flow).
 *
 * Why: when a registration request carries a "scope" member (RFC 7591 §2), Keycloak gives the
 * new client exactly those scopes as its optional scopes and nothing else. MCP clients register
 * with the scopes of the 401 challenge, which leaves out privileged ones on purpose, so without
 * this policy an authorization request that adds a privileged scope fails with invalid_scope.
 *
 * Attaching a scope grants nothing by itself: the scope's role scope mapping still decides
 * whether a user may receive it, and the realm's consent policy still applies.
 */
final class StepUpScopesPolicy implements ClientRegistrationPolicy {
    private final KeycloakSession session;
    private final ComponentModel model;

    StepUpScopesPolicy(KeycloakSession session, ComponentModel model) {
        this.session = session;
        this.model = model;
    }

    @Override
    public void beforeRegister(ClientRegistrationContext context) {
    }

    @Override
    public void afterRegister(ClientRegistrationContext context, ClientModel client) {
        attach(client);
    }

    @Override
    public void beforeUpdate(ClientRegistrationContext context, ClientModel client) {
    }

    // An RFC 7592 update replaces the optional scopes with the request's "scope" member again.
    @Override
    public void afterUpdate(ClientRegistrationContext context, ClientModel client) {
        attach(client);
    }

    @Override
    public void beforeView(ClientRegistrationProvider provider, ClientModel client) {
    }

    @Override
    public void beforeDelete(ClientRegistrationProvider provider, ClientModel client) {
    }

    private void attach(ClientModel client) {
        List<String> names = model.getConfig().getList(StepUpScopesPolicyFactory.SCOPES);
        if (names == null || names.isEmpty()) return;
        RealmModel realm = session.getContext().getRealm();
        Map<String, ClientScopeModel> has = client.getClientScopes(false);
        Map<String, ClientScopeModel> hasDefault = client.getClientScopes(true);
        realm.getClientScopesStream()
            .filter(scope -> names.contains(scope.getName()))
            .filter(scope -> !has.containsKey(scope.getName()) && !hasDefault.containsKey(scope.getName()))
            .forEach(scope -> client.addClientScope(scope, false));
    }
}
