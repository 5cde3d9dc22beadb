"""The narrative's Markdown as Typst markup, for the PDF (:mod:`.pdf`).

Markdown is parsed with the same parser and rules as the HTML page (CommonMark with tables, no
raw HTML, no images) and every piece of text is written as a Typst string literal
(``#"..."``), never as markup: whatever characters a text holds (``#``, ``@``, ``$``, a URL),
Typst sets them as letters and never reads them as code, a reference or a link. Links come only
from the Markdown's own link syntax, which outside text never carries (it is escaped before it
reaches the narrative, :mod:`riskreport.analysis.narrative.inert`)::

    typst_markup("**E** (very high)\\n\\n- one")  # '#strong[#"E"]#" (very high)"\\n\\n- #"one"\\n'
"""

from __future__ import annotations

import functools
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode


@functools.cache
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable("table")
        .disable("image")
    )


def string(text: str) -> str:
    """``text`` as a Typst string literal in markup: ``#"..."`` with quotes and backslashes
    escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'#"{escaped}"'


def _inline(node: SyntaxTreeNode) -> str:
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            parts.append(string(child.content) if child.content else "")
        elif kind == "code_inline":
            parts.append(f"#raw({string(child.content)[1:]})")
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" " if kind == "softbreak" else " \\\n")
        elif kind == "strong":
            parts.append(f"#strong[{_inline(child)}]")
        elif kind == "em":
            parts.append(f"#emph[{_inline(child)}]")
        elif kind == "link":
            href = str(child.attrs.get("href", ""))
            parts.append(f"#link({string(href)[1:]})[{_inline(child)}]")
        else:
            parts.append(_inline(child))
    return "".join(parts)


# Where a cell's text may break besides spaces: after a hyphen or a middle dot, so a case name
# such as "SSP1-2.6·2030년" can wrap in a table with a column per case (Unicode line breaking
# forbids a break between a hyphen and a digit).
_CELL_BREAKS: Final = str.maketrans({"-": "-\u200b", "·": "·\u200b"})
# From this many columns on, a table is set smaller and tighter to fit the page's width.
_WIDE: Final = 9


def _cells(row: SyntaxTreeNode) -> list[str]:
    cells = []
    for cell in row.children:
        content = cell.children[0] if cell.children else None
        if content is not None:
            for text in content.walk():
                if text.type == "text" and text.token is not None:
                    text.token.content = text.token.content.translate(_CELL_BREAKS)
        cells.append(f"[{_inline(content) if content is not None else ''}]")
    return cells


def _table(node: SyntaxTreeNode) -> str:
    rows: list[str] = []
    columns = 0
    for part in node.children:
        for row in part.children:
            cells = _cells(row)
            columns = max(columns, len(cells))
            line = ", ".join(cells)
            rows.append(f"table.header({line})" if part.type == "thead" else line)
    body = ",\n  ".join(rows)
    table = f"table(columns: {columns}, align: left,\n  {body},\n)"
    if columns >= _WIDE:
        return f"#[#set text(size: 6.5pt)\n#set table(inset: 2pt)\n#{table}]\n"
    return f"#{table}\n"


def _block(node: SyntaxTreeNode, depth: int = 0) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inline(node.children[0]) + "\n"
    if kind == "heading":
        level = int(node.tag[1:])
        return f"#heading(level: {level})[{_inline(node.children[0])}]\n"
    if kind in ("bullet_list", "ordered_list"):
        marker = "-" if kind == "bullet_list" else "+"
        items = []
        for item in node.children:
            inner = "".join(_block(child, depth + 1) for child in item.children).strip()
            items.append("  " * depth + f"{marker} " + inner.replace("\n", "\n" + "  " * depth))
        return "\n".join(items) + "\n"
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return "#line(length: 100%)\n"
    if kind in ("code_block", "fence"):
        return f"#raw(block: true, {string(node.content)[1:]})\n"
    return "".join(_block(child, depth) for child in node.children)


def typst_markup(markdown: str) -> str:
    """Typst markup that sets ``markdown`` (CommonMark with tables) as the HTML page shows it."""
    tree = SyntaxTreeNode(_parser().parse(markdown))
    return "\n".join(_block(child) for child in tree.children)
