"""``freeze_warm_heap``: the warm-up's recent garbage is freed, the rest frozen, and the whole heap
is never walked (a full collection on the API process's event loop stalled it about 0.1 s)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from riskreport.engine.runners.warmup import freeze_warm_heap


class _Node:
    def __init__(self) -> None:
        self.me: _Node = self


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Give the test process's heap back to the collector afterwards."""
    try:
        yield
    finally:
        gc.unfreeze()


def test_recent_garbage_is_freed_and_the_rest_frozen(unfrozen: None) -> None:
    kept = _Node()
    garbage = _Node()  # a cycle: only the collector frees it
    gone = weakref.ref(garbage)
    del garbage
    frozen_before = gc.get_freeze_count()
    freeze_warm_heap()
    assert gone() is None
    assert gc.get_freeze_count() > frozen_before
    assert kept.me is kept


def test_no_full_collection_walks_the_heap(unfrozen: None) -> None:
    generations: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            generations.append(int(info["generation"]))

    gc.callbacks.append(seen)
    try:
        freeze_warm_heap()
    finally:
        gc.callbacks.remove(seen)
    assert generations
    assert max(generations) < 2
