"""The benchmarks write their tables into docs/benchmarks.md between markers, each its own."""

from __future__ import annotations

from pathlib import Path

from bench.load import replace_section

BEGIN, END = "<!-- bench:x -->", "<!-- /bench:x -->"


def test_a_section_replaced_keeps_the_text_after_it_on_its_own_line(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\n{BEGIN}\nold\n{END}\nReading it: notes.\n", encoding="utf-8")
    for _ in range(2):  # a second run finds the same markers and leaves the same text
        replace_section(f"{BEGIN}\nnew\n{END}", BEGIN, END, doc)
        assert doc.read_text(encoding="utf-8") == (
            f"# Benchmarks\n\n{BEGIN}\nnew\n{END}\nReading it: notes.\n"
        )


def test_a_section_missing_from_the_document_is_appended(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nother\n", encoding="utf-8")
    replace_section(f"{BEGIN}\nnew\n{END}", BEGIN, END, doc)
    assert doc.read_text(encoding="utf-8") == f"# Benchmarks\n\nother\n\n{BEGIN}\nnew\n{END}\n"
