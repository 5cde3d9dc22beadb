"""Security headers on every response, and a Content-Security-Policy on every HTML one.

==========================  ==========================================================
header                      value
==========================  ==========================================================
X-Content-Type-Options      ``nosniff``, on every response
Referrer-Policy             ``no-referrer``, on every response
Content-Security-Policy     HTML only, by kind of page (below)
X-Frame-Options             HTML only: ``DENY``, or ``SAMEORIGIN`` for report documents
==========================  ==========================================================

Policies: the web pages and ``/docs`` load scripts, styles and images from this origin only
(``/docs`` allows inline styles, which Swagger UI sets); a report document (HTML from
``/v1/reports/{id}/document``) runs no script at all, takes its styles inline and its charts as
``data:`` images, and may be framed by this origin's job page only. No HTML may be framed
elsewhere (``frame-ancestors``; ``X-Frame-Options`` for older browsers). A header the route set
itself is kept.

Use: ``app.add_middleware(SecurityHeaders)``.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCUMENT_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)

_ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def policy_for(path: str) -> tuple[str, str]:
    """(Content-Security-Policy, X-Frame-Options) of an HTML answer at ``path``."""
    if path.startswith("/v1/"):
        return DOCUMENT_POLICY, "SAMEORIGIN"
    if path == "/docs" or path.startswith("/docs/"):
        return DOCS_POLICY, "DENY"
    return PAGE_POLICY, "DENY"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    policy, frames = policy_for(scope["path"])
                    headers.setdefault("Content-Security-Policy", policy)
                    headers.setdefault("X-Frame-Options", frames)
            await send(message)

        await self.app(scope, receive, send_with_headers)
