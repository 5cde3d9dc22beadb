"""The process runner's pipe messages: each crosses a real pipe intact, and only its way."""

from __future__ import annotations

import logging
import multiprocessing

import pytest

from riskreport.engine.jobs import JobStatus, Progress
from riskreport.engine.outcome import Outcome
from riskreport.engine.runners import pipe

pytestmark = pytest.mark.timeout(10)


def test_every_message_crosses_the_pipe_intact_in_its_own_direction() -> None:
    parent, child = multiprocessing.Pipe(duplex=True)
    try:
        calls: list[pipe.ToWorker] = [
            pipe.Run("j1", "pkg.mod:run", {"a": [1]}, 2.5, None),
            pipe.Stop(),
        ]
        for call in calls:
            pipe.send(parent, call)
            assert pipe.to_worker(child) == call
        record = logging.LogRecord("riskreport.test", logging.INFO, "f.py", 3, "hi", None, None)
        replies: list[pipe.FromWorker] = [
            pipe.Ready(41),
            pipe.StartFailed("ImportError: no numpy"),
            pipe.Report(Progress(0.5, "hazards")),
            pipe.Done(Outcome(JobStatus.SUCCEEDED, result={"x": 1})),
        ]
        for reply in replies:
            pipe.send(child, reply)
            assert pipe.from_worker(parent) == reply
        pipe.send(child, pipe.Log(record))
        got = pipe.from_worker(parent)
        assert isinstance(got, pipe.Log)
        assert (got.record.name, got.record.getMessage()) == ("riskreport.test", "hi")
    finally:
        parent.close()
        child.close()


def test_a_message_going_the_wrong_way_or_no_message_is_a_protocol_error() -> None:
    parent, child = multiprocessing.Pipe(duplex=True)
    try:
        pipe.send(child, pipe.Stop())  # a parent's message coming from a worker
        with pytest.raises(pipe.ProtocolError, match="Stop"):
            pipe.from_worker(parent)
        pipe.send(parent, pipe.Ready(1))  # a worker's message arriving at a worker
        with pytest.raises(pipe.ProtocolError, match="Ready"):
            pipe.to_worker(child)
        parent.send(("run", "j1"))  # the old untyped tuples are refused too
        with pytest.raises(pipe.ProtocolError):
            pipe.to_worker(child)
    finally:
        parent.close()
        child.close()
