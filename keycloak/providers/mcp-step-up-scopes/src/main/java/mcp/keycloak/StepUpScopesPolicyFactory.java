package mcp.keycloak;

import java.util.List;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientregistration.policy.AbstractClientRegistrationPolicyFactory;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

/** Client registration policy "mcp-step-up-scopes": see {@link StepUpScopesPolicy}. */
public final class StepUpScopesPolicyFactory extends AbstractClientRegistrationPolicyFactory {
    /** The provider id a realm's component names. */
    public static final String PROVIDER_ID = "mcp-step-up-scopes";
    /** Config key: the client scopes to attach as optional scopes. */
    public static final String SCOPES = "step-up-scopes";

    private static final List<ProviderConfigProperty> CONFIG = List.of(property());

    private static ProviderConfigProperty property() {
        ProviderConfigProperty p = new ProviderConfigProperty();
        p.setName(SCOPES);
        p.setLabel("Step-up scopes");
        p.setHelpText("Client scopes attached as optional scopes to every registered client, so that it may request them later (step-up). Users still need the scopes' roles.");
        p.setType(ProviderConfigProperty.MULTIVALUED_STRING_TYPE);
        return p;
    }

    @Override
    public ClientRegistrationPolicy create(KeycloakSession session, ComponentModel model) {
        return new StepUpScopesPolicy(session, model);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Attaches privileged MCP scopes to dynamically registered clients as optional scopes, so an MCP client can step up to them after a 403 insufficient_scope.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties(KeycloakSession session) {
        return CONFIG;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
