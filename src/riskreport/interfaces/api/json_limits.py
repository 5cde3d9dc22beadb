"""Cheap checks of a JSON body before it is parsed: nesting depth and string length.

Python's ``json`` parser recurses once per level of nesting (a body of ``[[[[...`` ten thousand
deep raises ``RecursionError`` inside it) and builds every string whole. These checks run at
C speed (``bytes`` methods and numpy) over a body already bounded by the size
limit: a few milliseconds for a megabyte.

Use::

    >>> json_problem(b'{"a": [[1]]}', max_depth=32, max_string=100)
    >>> json_problem(b"[" * 40 + b"]" * 40, max_depth=32, max_string=100)
    'the JSON is nested 40 levels deep; at most 32 are allowed'
    >>> json_problem(b'{"a": "' + b"x" * 200 + b'"}', max_depth=32, max_string=100)
    'a JSON string is 200 bytes long; at most 100 are allowed'
"""

from __future__ import annotations

import numpy as np

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# +1 for an opening bracket, -1 for a closing one, by byte value.
_STEP = np.full(256, -1, dtype=np.int32)
_STEP[list(b"[{")] = 1


def json_problem(body: bytes, *, max_depth: int, max_string: int) -> str | None:
    """Why ``body`` is too deep or holds too long a string, or None when it is within limits.

    Lengths are counted in bytes of the body, escape sequences left out. A body that is not
    JSON at all passes here and is refused by the parser.
    """
    # Outside strings and inside them, alternately: parts[1::2] are the strings' contents.
    # Escaped backslashes first, then escaped quotes: every quote left delimits a string.
    parts = body.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')
    longest = max(map(len, parts[1::2]), default=0)
    if longest > max_string:
        return f"a JSON string is {longest} bytes long; at most {max_string} are allowed"
    skeleton = b"".join(parts[0::2]).translate(None, _NOT_BRACKETS)
    if len(skeleton) // 2 <= max_depth and skeleton.count(b"[") + skeleton.count(b"{") <= max_depth:
        return None
    # The running count of open brackets, in numpy: a Python loop over a megabyte of brackets
    # would hold the event loop for a fifth of a second.
    brackets = np.frombuffer(skeleton, dtype=np.uint8)
    depth = int(np.cumsum(_STEP[brackets]).max(initial=0))
    if depth > max_depth:
        return f"the JSON is nested {depth} levels deep; at most {max_depth} are allowed"
    return None
