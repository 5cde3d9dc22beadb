"""Text from outside (a request's address, an LLM's prose) made inert before it enters a document.

Three forms, one per place the text goes::

    inline("a\\n# b [x](https://e.example)")  # 'a \\# b \\[x\\](https://e.example)'
    block("para one\\n\\n- para two")          # 'para one\\n\\n\\- para two'
    quoted('say "hi"\\nnow')                   # '"say \\\\"hi\\\\" now"' (JSON string, one line)

``inline`` and ``block`` give Markdown that renders to the same characters as the input: every
character that could start a construct (a link, an image, emphasis, a heading, a list, a table
cell, code, raw HTML) is escaped, ``<``, ``>`` and ``&`` become entities (so a ``.md`` file keeps
no raw HTML), and line breaks cannot start a new block. ``quoted`` is for the LLM's prompt: the
text as one JSON string, so it reads as data on its own line and never as a fact line.
"""

from __future__ import annotations

import json
import re
from typing import Final

# Every line or paragraph break Python knows (str.splitlines), tabs, other control characters
# and the bidirectional overrides that can make text display in another order than it reads.
_BREAKS: Final = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")
# Markdown punctuation that can open or close a construct anywhere in a line: emphasis, code,
# link and image brackets (without "[" a "(" or "!" opens nothing), table cells, headings.
_ANYWHERE: Final = re.compile(r"([\\`*_\[\]|#])")
_ENTITIES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# What starts a block when it begins a line: a list item, an ordered item, a thematic break,
# a setext underline, a blockquote (already an entity), an indented code block.
_LINE_START: Final = re.compile(r"^([-+=]|\d{1,9}[.)])")
# A blank line, which separates paragraphs.
_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t]*\n")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, line break and control character as one space."""
    return _BREAKS.sub(" ", text).strip()


def _escape(line: str) -> str:
    escaped = line.translate(_ENTITIES)
    escaped = _ANYWHERE.sub(r"\\\1", escaped)
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def inline(text: object) -> str:
    """``text`` as inert Markdown on one line (an address inside a sentence or a table)."""
    return _escape(one_line(str(text)))


def block(text: object) -> str:
    """``text`` as inert Markdown paragraphs: blank lines separate paragraphs, nothing else
    survives as structure (an LLM's prose)."""
    paragraphs = _PARAGRAPH_BREAK.split(str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return "\n\n".join(_escape(line) for p in paragraphs if (line := one_line(p)))


def quoted(text: object) -> str:
    """``text`` on one line as a JSON string literal, quotes and backslashes escaped."""
    return json.dumps(one_line(str(text)), ensure_ascii=False)
