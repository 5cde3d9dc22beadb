"""The score matrix written as SVG: one coloured cell per score, labels escaped, valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from riskreport.analysis.documents.score_matrix import SCORE_COLOURS, score_matrix_svg, text_width

SVG = "{http://www.w3.org/2000/svg}"


def test_each_score_is_a_cell_of_its_colour_with_its_number() -> None:
    data = score_matrix_svg(
        ["도시 침수", "<b>태풍</b>"],
        ["현재 기후", "SSP5-8.5\n2050"],
        [[5, 1], [3, None]],
        fonts=["NanumGothic"],
    )
    root = ET.fromstring(data)
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert fills == [SCORE_COLOURS[4], SCORE_COLOURS[0], SCORE_COLOURS[2], "#eeeeee"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["현재 기후", "SSP5-8.5", "2050", "도시 침수", "5", "1", "<b>태풍</b>", "3"]
    assert b"<b>" not in data  # the label is text, escaped
    assert root.get("font-family") == "NanumGothic, sans-serif"


def test_a_column_label_wider_than_its_cell_is_broken_in_two_lines() -> None:
    # "today's climate" ran into "SSP2-4.5" beside it; its two lines now fit its column.
    data = score_matrix_svg(
        ["heatwave"], ["today's climate", "SSP2-4.5\n2030"], [[2, 3]], fonts=["NanumGothic"]
    )
    root = ET.fromstring(data)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert texts[:4] == ["today's", "climate", "SSP2-4.5", "2030"]
    cell = next(root.iter(f"{SVG}rect"))
    assert text_width("today's climate", 10.0) > float(cell.get("width", "0"))
    for label in texts[:2]:
        assert text_width(label, 10.0) <= float(cell.get("width", "0"))
