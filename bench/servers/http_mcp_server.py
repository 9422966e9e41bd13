"""http-mcp peer (the seed's library) for the benchmark, served as its README recommends: an
MCPServer mounted in a Starlette app under uvicorn (one worker), the echo tool (pydantic input
and output models, so the result is structuredContent {"text": ...} and its JSON as text).
With --issuer: auth_mcp's create_protected_mcp_app and a JWKS validator written as auth_mcp's
README shows (PyJWT, RS256, issuer and audience checked; keys from PyJWKClient's cache).

    python http_mcp_server.py --port N [--issuer URL --resource URI]
"""
import argparse

import uvicorn
from pydantic import BaseModel, Field
from starlette.applications import Starlette

from http_mcp.server import MCPServer
from http_mcp.types import Arguments, Tool

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--issuer")
p.add_argument("--resource")
a = p.parse_args()


class EchoInput(BaseModel):
    text: str = Field(description="Text to echo")


class EchoOutput(BaseModel):
    text: str


def echo(args: Arguments[EchoInput]) -> EchoOutput:
    """Echoes the text back"""
    return EchoOutput(text=args.inputs.text)


TOOLS = (Tool(func=echo, inputs=EchoInput, output=EchoOutput),)
mcp_server = MCPServer(name="http-mcp-bench", version="1.0.0", tools=TOOLS)

if a.issuer:
    import jwt
    from auth_mcp.resource_server import ProtectedMCPAppConfig, TokenInfo, TokenValidator, create_protected_mcp_app
    from auth_mcp.types import ProtectedResourceMetadata

    class JWTTokenValidator(TokenValidator):
        def __init__(self, jwks_url: str, issuer: str, audience: str) -> None:
            self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True)
            self._jwks.get_jwk_set()  # fetched once at start-up, cached afterwards
            self._issuer = issuer
            self._audience = audience

        async def validate_token(self, token: str, resource: str | None = None) -> TokenInfo | None:
            try:
                key = self._jwks.get_signing_key_from_jwt(token)
                payload = jwt.decode(token, key.key, algorithms=["RS256"], audience=self._audience, issuer=self._issuer)
            except jwt.PyJWTError:
                return None
            return TokenInfo(subject=payload["sub"], scopes=tuple(payload.get("scope", "").split()),
                             expires_at=payload.get("exp"), client_id=payload.get("client_id"), audience=self._audience)

    app = create_protected_mcp_app(ProtectedMCPAppConfig(
        mcp_server=mcp_server,
        token_validator=JWTTokenValidator(f"{a.issuer}/jwks", a.issuer, a.resource),
        resource_endpoint=ProtectedResourceMetadata(resource=a.resource, authorization_servers=(a.issuer,)),
    ))
else:
    app = Starlette()
    app.mount("/mcp", mcp_server.app)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=a.port)
