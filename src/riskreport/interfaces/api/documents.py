"""Report document formats and ``Accept`` negotiation for ``GET /v1/reports/{id}/document``.

Use::

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8")
    <DocumentFormat.HTML: 'html'>
    >>> negotiate(None)
    <DocumentFormat.JSON: 'json'>
    >>> negotiate("image/png") is None
    True
    >>> negotiate("application/json;q=nan") is None
    True
"""

from __future__ import annotations

from enum import StrEnum


class DocumentFormat(StrEnum):
    """A form of the finished report; all but ``json`` are artifacts the report job stored."""

    JSON = "json"  # the report's JSON result
    HTML = "html"  # a web page with charts
    PDF = "pdf"  # a printable document
    MD = "md"  # Markdown text

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    DocumentFormat.JSON: "application/json",
    DocumentFormat.HTML: "text/html",
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.MD: "text/markdown",
}


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0  # a malformed weight counts as "not acceptable"
                if not 0.0 <= q <= 1.0:  # also NaN: RFC 9110 weights are 0 to 1
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range matching ``media_type`` (RFC 9110 section 12.5.1)."""
    kind = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for media, q in ranges:
        if media == media_type:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, q)
    return best[1]


def negotiate(accept: str | None) -> DocumentFormat | None:
    """The format the client accepts most; JSON on a tie or without ``Accept``; None if none."""
    if not accept or not accept.strip():
        return DocumentFormat.JSON
    ranges = _ranges(accept)
    scored = [(_quality(f.media_type, ranges), f) for f in DocumentFormat]
    best_q = max(q for q, _ in scored)
    if best_q <= 0:
        return None
    # Enum order breaks ties: JSON first.
    return next(f for q, f in scored if q == best_q)
