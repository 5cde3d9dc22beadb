"""The Korean (CJK) font the charts and the PDF need, found among the system's fonts.

Korean text in a PDF or a chart renders as empty boxes without a font that has Hangul. The
font is a system package (Debian: ``fonts-nanum`` or ``fonts-noto-cjk``; ``make system-deps``
installs it); nothing is downloaded at run time::

    family = cjk_family()  # "NanumGothic"
"""

from __future__ import annotations

import functools
from typing import Final

from matplotlib import font_manager

# Preferred first. The page's CSS and the PDF name the same list, so the browser, Typst and
# matplotlib pick the same face.
CJK_FAMILIES: Final = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans KR",
    "UnDotum",
)


class MissingFontError(RuntimeError):
    """No font with Hangul is installed."""


@functools.cache
def cjk_family() -> str:
    """The first installed family of :data:`CJK_FAMILIES`; raises :class:`MissingFontError`."""
    for family in CJK_FAMILIES:
        try:
            font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return family
    raise MissingFontError(
        "no Korean font found (tried "
        + ", ".join(CJK_FAMILIES)
        + "); install one, e.g. `apt-get install fonts-nanum` or `make system-deps`"
    )


@functools.cache
def cjk_font_file() -> str:
    """The path of the regular face of :func:`cjk_family` (Typst reads its folder)."""
    return str(
        font_manager.findfont(
            font_manager.FontProperties(family=cjk_family()), fallback_to_default=False
        )
    )


def css_font_stack() -> str:
    """The CSS ``font-family`` value: the found family first, then the others, then sans."""
    found = cjk_family()
    ordered = [found, *(f for f in CJK_FAMILIES if f != found)]
    return ", ".join(f'"{family}"' for family in ordered) + ", sans-serif"
