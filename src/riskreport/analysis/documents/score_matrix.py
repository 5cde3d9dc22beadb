"""The hazard score matrix as SVG written directly: a grid of coloured cells with their scores.

A grid of rectangles and numbers needs no plotting library; matplotlib spent most of the charts'
time laying out its hundred-odd cell labels (a 4-scenario report has 9 x 13 cells). Text is SVG
text in the report's CJK font stack (the page's browser and Typst both set it), so the file is a
few kilobytes::

    svg = score_matrix_svg(["홍수", "태풍"], ["현재 기후", "SSP2-4.5\\n2050"], [[5, 4], [2, None]],
                           fonts=["NanumGothic"])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final
from xml.sax.saxutils import escape, quoteattr

# Score 1 (very low) to 5 (very high): the colours of the grade scale, dark text on light ones.
SCORE_COLOURS: Final = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
_DARK_TEXT: Final = frozenset({2, 3, 4})
_CELL_W, _CELL_H, _GAP = 46.0, 22.0, 1.0
_LABEL_SIZE, _SCORE_SIZE = 10.0, 11.0
_MISSING: Final = "#eeeeee"


def text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width: CJK characters a full em, others 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


def _fit(label: str) -> str:
    """``label`` broken at the space nearest its middle when one line is wider than a cell
    ("today's climate" ran into the next column's label); labels with a break stay as given."""
    if "\n" in label or " " not in label or text_width(label, _LABEL_SIZE) <= _CELL_W:
        return label
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:cut]}\n{label[cut + 1 :]}"


def score_matrix_svg(
    rows: Sequence[str],
    columns: Sequence[str],
    scores: Sequence[Sequence[float | None]],
    *,
    fonts: Sequence[str],
) -> bytes:
    """The matrix of ``scores[row][column]`` (1 to 5, None where there is none) as SVG bytes;
    a column label may hold one line break, and one wider than a cell is given one."""
    columns = [_fit(c) for c in columns]
    family = quoteattr(", ".join([*fonts, "sans-serif"]))
    left = 8.0 + max((text_width(r, _LABEL_SIZE) for r in rows), default=0.0)
    lines = max((c.count("\n") + 1 for c in columns), default=1)
    top = 6.0 + lines * (_LABEL_SIZE + 2)
    width = left + len(columns) * (_CELL_W + _GAP) + 2
    height = top + len(rows) * (_CELL_H + _GAP) + 2
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}" font-family={family}>',
    ]
    for index, column in enumerate(columns):
        x = left + index * (_CELL_W + _GAP) + _CELL_W / 2
        for line_no, line in enumerate(column.split("\n")):
            y = 4 + (line_no + 1) * (_LABEL_SIZE + 2) - 2
            parts.append(
                f'<text x="{x:g}" y="{y:g}" font-size="{_LABEL_SIZE:g}" '
                f'text-anchor="middle">{escape(line)}</text>'
            )
    for row_no, (name, values) in enumerate(zip(rows, scores, strict=True)):
        y = top + row_no * (_CELL_H + _GAP)
        parts.append(
            f'<text x="{left - 6:g}" y="{y + _CELL_H / 2 + _LABEL_SIZE / 3:g}" '
            f'font-size="{_LABEL_SIZE:g}" text-anchor="end">{escape(name)}</text>'
        )
        for col_no, value in enumerate(values):
            x = left + col_no * (_CELL_W + _GAP)
            score = None if value is None else round(value)
            fill = SCORE_COLOURS[min(max(score, 1), 5) - 1] if score is not None else _MISSING
            parts.append(
                f'<rect x="{x:g}" y="{y:g}" width="{_CELL_W:g}" height="{_CELL_H:g}" '
                f'fill="{fill}"/>'
            )
            if value is not None:
                ink = "#1a1a1a" if score in _DARK_TEXT else "#ffffff"
                parts.append(
                    f'<text x="{x + _CELL_W / 2:g}" y="{y + _CELL_H / 2 + _SCORE_SIZE / 3:g}" '
                    f'font-size="{_SCORE_SIZE:g}" text-anchor="middle" fill="{ink}">'
                    f"{value:g}</text>"
                )
    parts.append("</svg>")
    return "\n".join(parts).encode("utf-8")
