"""The narrative's Markdown as Typst markup: every text a string, structure kept, nothing read as
code, a reference or a link."""

from __future__ import annotations

import typst

from riskreport.analysis.documents.typst_markup import string, typst_markup


def test_text_that_looks_like_typst_stays_a_string() -> None:
    hostile = '#import "x" @ref $x$ <label> https://evil.example // not a comment \\ "q"'
    markup = typst_markup(hostile)
    assert markup == string(hostile) + "\n"
    pdf = typst.compile(markup.encode("utf-8"), ignore_system_fonts=True)
    assert b"/URI" not in pdf  # no link came out of the URL in the text


def test_structure_is_kept() -> None:
    markup = typst_markup(
        "## Title\n\n**E** (very high)\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert '#heading(level: 2)[#"Title"]' in markup
    assert '#strong[#"E"]#" (very high)"' in markup
    assert '- #"one"\n- #"two"' in markup
    assert 'table.header([#"a"], [#"b"])' in markup
    assert '[#"1"], [#"2"]' in markup


def test_a_markdown_link_is_the_only_link() -> None:
    markup = typst_markup("See <https://doi.org/10.1/x> and \\[not](https://evil.example).")
    assert '#link("https://doi.org/10.1/x")' in markup
    assert "evil.example" in markup
    assert '#link("https://evil' not in markup


def test_wide_table_cells_may_wrap_after_hyphens() -> None:
    header = "| " + " | ".join(f"SSP{i}-4.5·2050년" for i in range(9)) + " |"
    rule = "|" + "---|" * 9
    markup = typst_markup(f"{header}\n{rule}\n" + "| 1 " * 9 + "|\n")
    assert "SSP0-\u200b4.5·\u200b2050년" in markup
    assert "#set text(size: 6.5pt)" in markup
