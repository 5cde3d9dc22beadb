"""The resume journal: finished rows are remembered durably; anything doubtful runs again."""

from __future__ import annotations

from pathlib import Path

from riskreport.interfaces.commands.journal import JOURNAL_NAME, Entry, Journal


def test_a_recorded_success_is_done_across_reopen(tmp_path: Path) -> None:
    (tmp_path / "002-a.json").write_text("{}")
    with Journal.open(tmp_path) as journal:
        assert not journal.is_done(2, "k1")
        journal.record(Entry(row=2, key="k1", status="succeeded", files=("002-a.json",)))
        journal.record(Entry(row=3, key="k3", status="failed", error="boom"))
    with Journal.open(tmp_path) as journal:
        assert journal.is_done(2, "k1")
        assert not journal.is_done(3, "k3")  # failures run again
        assert not journal.is_done(2, "other")  # the row was edited since
        entry = journal.get(3)
        assert entry is not None
        assert entry.error == "boom"
        assert [e.row for e in journal.entries()] == [2, 3]


def test_the_latest_line_of_a_row_wins(tmp_path: Path) -> None:
    with Journal.open(tmp_path) as journal:
        journal.record(Entry(row=4, key="k", status="failed"))
        journal.record(Entry(row=4, key="k", status="succeeded"))
    with Journal.open(tmp_path) as journal:
        assert journal.is_done(4, "k")


def test_a_missing_report_file_means_not_done(tmp_path: Path) -> None:
    with Journal.open(tmp_path) as journal:
        journal.record(Entry(row=2, key="k", status="succeeded", files=("002-a.json",)))
        assert not journal.is_done(2, "k")


def test_a_torn_last_line_is_ignored_and_appending_still_works(tmp_path: Path) -> None:
    with Journal.open(tmp_path) as journal:
        journal.record(Entry(row=2, key="k", status="succeeded"))
    path = tmp_path / JOURNAL_NAME
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"row": 3, "key": "k", "sta')  # killed mid-write
    with Journal.open(tmp_path) as journal:
        assert journal.is_done(2, "k")
        assert journal.get(3) is None
        journal.record(Entry(row=3, key="k", status="succeeded"))
    with Journal.open(tmp_path) as journal:
        assert journal.is_done(3, "k")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert lines[1].startswith('{"row": 3, "key": "k", "sta')


def test_korean_names_survive(tmp_path: Path) -> None:
    with Journal.open(tmp_path) as journal:
        journal.record(Entry(row=2, key="k", status="succeeded", name="해운대 상가"))
    assert "해운대 상가" in (tmp_path / JOURNAL_NAME).read_text(encoding="utf-8")
    with Journal.open(tmp_path) as journal:
        entry = journal.get(2)
        assert entry is not None
        assert entry.name == "해운대 상가"
