"""Revised Romanization of Korean place names (문화체육관광부 고시 2014-42), for the legal
읍면동 and 리 names the boundary data gives only in Hangul.

It applies the rules that matter for place names: the sound changes across a syllable boundary
(liaison, nasalisation, ㄹ after ㄴ/ㅁ/ㅇ, ㄹㄹ), the administrative suffix after a hyphen, and
numbers kept as written. Aspiration after ㅎ is not written in names, as the rules say.

>>> [romanize(n) for n in ("태평로1가", "중동", "역삼동", "신림동", "종로", "성산리")]
['Taepyeongno 1-ga', 'Jung-dong', 'Yeoksam-dong', 'Sillim-dong', 'Jongno', 'Seongsan-ri']
"""

from __future__ import annotations

import re

_INITIAL = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_VOWEL = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
    "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
# Final consonant as pronounced before a pause: index = jongseong (0 = none).
_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
          "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]  # fmt: skip
# Final carried over to the next syllable when that starts with a vowel (liaison).
_CARRY = ["", "g", "kk", "gs", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp",
          "l", "m", "bs", "b", "s", "ss", "ng", "j", "ch", "k", "t", "p", ""]  # fmt: skip
_SUFFIXES = (
    "특별자치도",
    "특별자치시",
    "특별시",
    "광역시",
    "도",
    "시",
    "군",
    "구",
    "읍",
    "면",
    "동",
    "리",
    "가",
)
_SUFFIX_EN = {"특별시": "teukbyeolsi", "광역시": "gwangyeoksi", "특별자치시": "teukbyeoljachisi",
              "특별자치도": "teukbyeoljachido"}  # fmt: skip


def _syllables(text: str) -> list[tuple[int, int, int] | str]:
    out: list[tuple[int, int, int] | str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append((code // 588, (code % 588) // 28, code % 28))
        else:
            out.append(ch)
    return out


def _word(text: str) -> str:
    """One Hangul word, with the sound changes inside it."""
    syl = _syllables(text)
    parts: list[str] = []
    for k, s in enumerate(syl):
        if isinstance(s, str):
            parts.append(s)
            continue
        ini, vow, fin = s
        prev = syl[k - 1] if k else None
        onset = _INITIAL[ini]
        if isinstance(prev, tuple):
            pf = prev[2]
            if ini == 11 and pf:  # ㅇ onset: the previous final moves over (liaison)
                onset = _CARRY[pf] if pf != 21 else ""
            elif ini == 5:  # ㄹ onset
                onset = "l" if pf in (8, 4) else ("n" if pf else "r")
            elif ini == 2 and pf == 8:
                onset = "l"  # ㄹㄴ -> ll
        nxt = syl[k + 1] if k + 1 < len(syl) else None
        coda = _FINAL[fin]
        if isinstance(nxt, tuple) and fin:
            n_ini = nxt[0]
            if n_ini == 11 and fin != 21:
                coda = ""  # carried over
            elif n_ini in (2, 6) or (n_ini == 5 and coda not in ("l", "n")):  # nasalisation
                coda = {"k": "ng", "t": "n", "p": "m"}.get(coda, coda)
            elif n_ini == 5 and coda == "n":
                coda = "l"  # ㄴㄹ -> ll
        parts.append(onset + _VOWEL[vow] + coda)
    return "".join(parts)


def romanize(name: str) -> str:
    """A Korean place name in Revised Romanization ('태평로1가' -> 'Taepyeongno 1-ga')."""
    hit = re.match(r"^(.*?)(\d+(?:·\d+)*)?(" + "|".join(_SUFFIXES) + r")$", name)
    if not hit or not hit.group(1):
        return _word(name).capitalize()
    stem, number, suffix = hit.group(1), hit.group(2) or "", hit.group(3)
    head = _word(stem).capitalize()
    tail = _SUFFIX_EN.get(suffix) or _word(suffix)
    if number:
        return f"{head} {number}-{tail}"
    return f"{head}-{tail}"
