"""The HTTP answer for one report document: validators, name, type and, for pages, a CSP.

A finished report's documents never change, so each answer carries a strong ``ETag`` (a hash
of its bytes) and a client that sends it back in ``If-None-Match`` gets ``304 Not Modified``::

    return document_response(artifact.data, "application/pdf", "report-1f2e.pdf", request)
"""

from __future__ import annotations

import hashlib
from typing import Final

from fastapi import Request, Response

from riskreport.interfaces.api.security_headers import DOCUMENT_POLICY

# What a served page may load is the document policy of ``security_headers`` (one place); the
# page states the same policy in a <meta> tag (riskreport.analysis.documents.html, which this
# layer may not import: it loads matplotlib and Typst); a test holds the two equal.

# Browsers revalidate with the ETag before each use; shared caches keep nothing (reports are
# the client's own).
CACHE_CONTROL: Final = "private, no-cache"


def entity_tag(data: bytes) -> str:
    """A strong ETag for ``data``: ``"<32 hex digits>"``."""
    return '"' + hashlib.blake2b(data, digest_size=16).hexdigest() + '"'


def _matches(if_none_match: str | None, tag: str) -> bool:
    if not if_none_match:
        return False
    tags = {part.strip().removeprefix("W/") for part in if_none_match.split(",")}
    return "*" in tags or tag in tags


def document_response(data: bytes, media_type: str, filename: str, request: Request) -> Response:
    """``data`` as the answer, or ``304`` when the client holds it already."""
    tag = entity_tag(data)
    headers = {
        "ETag": tag,
        "Cache-Control": CACHE_CONTROL,
        "Content-Disposition": f'inline; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
    }
    if media_type.startswith("text/html"):
        headers["Content-Security-Policy"] = DOCUMENT_POLICY
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)
