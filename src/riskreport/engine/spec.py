"""What the engine can run: a job ``kind`` bound to a function by dotted path, and its runner.

Use::

    specs = [JobSpec("report", "riskreport.analysis.job:run_report", RunnerKind.THREAD)]
    warmup = Initializer("riskreport.analysis.job:prepare")

Functions are named by dotted path, never passed as objects, so that a thread, a child process or
(later) a worker on another machine can import and run the same function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RunnerKind(StrEnum):
    """Where a job's function runs (off the event loop, always)."""

    THREAD = "thread"  # I/O-bound work (LLM calls); cooperative cancel and deadline
    PROCESS = "process"  # CPU-bound or un-interruptible work; killed on timeout or cancel


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A job kind: ``function`` is ``"package.module:function"``, run by ``runner``."""

    kind: str
    function: str
    runner: RunnerKind = RunnerKind.THREAD

    def __post_init__(self) -> None:
        split_dotted(self.function)


@dataclass(frozen=True, slots=True)
class Initializer:
    """A warm-up function run once per runner (thread runner) or per worker process.

    It loads heavy imports, data and clients before the first job, so the first request does not
    pay for them. ``args`` must pickle (they travel to child processes).
    """

    function: str
    args: tuple[Any, ...] = field(default=())

    def __post_init__(self) -> None:
        split_dotted(self.function)

    def __call__(self) -> None:
        resolve(self.function)(*self.args)


def split_dotted(path: str) -> tuple[str, str]:
    """``"pkg.mod:fn"`` -> ``("pkg.mod", "fn")``; raise ``ValueError`` on any other shape."""
    module, sep, name = path.partition(":")
    if not sep or not module or not name:
        raise ValueError(f"expected 'package.module:function', got {path!r}")
    return module, name


def resolve(path: str) -> Callable[..., Any]:
    """Import ``"pkg.mod:fn"`` and return the function (``fn`` may be ``obj.attr``)."""
    module_name, name = split_dotted(path)
    target: Any = importlib.import_module(module_name)
    for part in name.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise TypeError(f"{path!r} is not callable")
    return target  # type: ignore[no-any-return]
