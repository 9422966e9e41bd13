"""FastMCP peer for the benchmark, served as its docs recommend: mcp.run(transport="http")
(uvicorn, one worker), the echo tool, and with --issuer its JWTVerifier against the bench
issuer's JWKS (RS256, issuer and audience checked).

    python fastmcp_server.py --port N [--issuer URL --resource URI]
"""
import argparse

from fastmcp import FastMCP
from fastmcp.server.auth.providers.jwt import JWTVerifier

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--issuer")
p.add_argument("--resource")
a = p.parse_args()

auth = None
if a.issuer:
    auth = JWTVerifier(jwks_uri=f"{a.issuer}/jwks", issuer=a.issuer, audience=a.resource, algorithm="RS256")

mcp = FastMCP("fastmcp-bench", auth=auth)


@mcp.tool
def echo(text: str) -> str:
    """Echoes the text back"""
    return text


if __name__ == "__main__":
    mcp.run(transport="http", host="127.0.0.1", port=a.port, path="/mcp", show_banner=False)
