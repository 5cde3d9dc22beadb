"""The Jinja2 environments of the narrative: report templates and LLM prompts, per language.

Templates and prompts are files inside the package (``templates/{ko,en}/``, ``prompts/``).
Each environment carries the language's filters, so a template writes ``{{ q | krw }}``,
``{{ name | josa("이/가") }}`` or ``{{ key | label("hazards") }}`` and never formats a number
itself; text from a request goes through ``inert`` (Markdown) or ``quoted`` (prompts)::

    env = environment("ko")
    env.get_template("ko/report.md.j2").render(view=view, sections=sections)
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final

import jinja2

from riskreport.analysis.narrative.inert import inline, quoted
from riskreport.analysis.narrative.korean import josa, particle
from riskreport.analysis.narrative.numbers import number_format, significant
from riskreport.domain.hazards.registry import REGISTRY

PACKAGE: Final = "riskreport.analysis.narrative"


@functools.cache
def labels(language: str) -> Mapping[str, Mapping[str, str]]:
    """The words for the result's codes in ``language``: ``templates/<language>/labels.toml``,
    with the hazards' names and intensity labels from the hazard registry."""
    text = (resources.files(PACKAGE) / "templates" / language / "labels.toml").read_text("utf-8")
    words: dict[str, dict[str, str]] = tomllib.loads(text)
    en = language == "en"
    words["hazards"] = {
        **words.get("hazards", {}),
        **{h.key: h.names.prose_en if en else h.names.prose_ko for h in REGISTRY},
    }
    words["intensity"] = {**words.get("intensity", {}), **REGISTRY.intensity_labels(language)}
    return words


def _label_filter(language: str) -> Any:
    def label(code: object, group: str) -> str:
        words = labels(language).get(group, {})
        key = str(code)
        return words.get(key, key.replace("_", " "))

    return label


@functools.cache
def environment(language: str) -> jinja2.Environment:
    """The environment for ``language``: loader over the package, filters, strict undefined.

    Built once per process and shared; Jinja2 environments are safe to render from threads.
    """
    fmt = number_format(language)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(PACKAGE, ""),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown and plain text; HTML escapes it later
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The templates ship inside the package and change only with it: a report need not
        # stat every template file it renders to see whether it changed on disk.
        auto_reload=False,
    )
    env.filters.update(
        krw=fmt.krw,
        pct=fmt.percent,
        change=fmt.change,
        q=fmt.quantity,
        sig=significant,
        label=_label_filter(language),
        josa=josa,
        particle=particle,
        inert=inline,
        quoted=quoted,
    )
    env.globals.update(language=language, labels=labels(language))
    return env
