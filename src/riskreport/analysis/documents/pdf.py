"""The PDF document: the HTML page laid out by WeasyPrint, Korean set in the CJK font.

WeasyPrint finds the font named in the page's CSS through fontconfig; :mod:`.fonts` has
already made sure one is installed. The page embeds its charts as ``data:`` URIs, so the
fetcher allows nothing else: rendering never touches the network or the file system::

    data = to_pdf(to_html(report))  # b"%PDF-1.7..."
"""

from __future__ import annotations

import threading
from typing import Any

import weasyprint

from riskreport.analysis.documents.fonts import cjk_family

# One layout at a time per process: WeasyPrint does not promise thread safety and shares Pango's
# font map, and crashes under concurrent use have been reported (Kozea/WeasyPrint#1402). Layout
# holds the GIL most of the time anyway, so threads gain little by overlapping; the process
# runner gives each worker its own lock.
_LAYOUT = threading.Lock()


def _fetcher() -> Any:
    # URLFetcher arrived in WeasyPrint 66; older versions take no fetcher restriction here.
    fetcher_class = getattr(weasyprint, "URLFetcher", None)
    return fetcher_class(allowed_protocols=("data",)) if fetcher_class else None


def to_pdf(html: str) -> bytes:
    """Lay out ``html`` (a self-contained page) as PDF bytes."""
    cjk_family()  # fail with a clear message rather than print empty boxes
    with _LAYOUT:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_fetcher())
        data = document.write_pdf()
    if not isinstance(data, bytes):  # write_pdf returns bytes when no target is given
        raise TypeError("WeasyPrint returned no PDF bytes")
    return data


def warm() -> None:
    """Load WeasyPrint's fonts and layout engine once (a first PDF costs about a second)."""
    to_pdf("<html lang='ko'><body><p>준비 ready</p></body></html>")
