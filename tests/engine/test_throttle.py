"""Progress from a job: a new stage goes at once, one stage at most once per interval,
and what was held back arrives when the interval ends unless the job ended first."""

from __future__ import annotations

import threading
import time

import pytest

from riskreport.engine.jobs import Progress
from riskreport.engine.runners.throttle import ProgressThrottle

pytestmark = pytest.mark.timeout(10)

INTERVAL = 0.05


class Sent:
    """What reached the pipe, in order; waits for a count to be reached."""

    def __init__(self) -> None:
        self.items: list[Progress] = []
        self._grew = threading.Condition()

    def __call__(self, progress: Progress) -> None:
        with self._grew:
            self.items.append(progress)
            self._grew.notify_all()

    def wait_for(self, count: int, within: float = 3.0) -> list[Progress]:
        with self._grew:
            assert self._grew.wait_for(lambda: len(self.items) >= count, within), self.items
            return list(self.items)


def test_a_burst_of_one_stage_sends_its_first_report_then_its_last_when_the_interval_ends() -> None:
    sent = Sent()
    throttle = ProgressThrottle(sent, interval=INTERVAL)
    burst = [Progress(i / 100, "hazards") for i in range(1, 51)]
    for progress in burst:
        throttle.report(progress)
    assert sent.wait_for(2) == [burst[0], burst[-1]]
    time.sleep(INTERVAL * 3)
    assert sent.items == [burst[0], burst[-1]]  # nothing in between, nothing twice


def test_a_new_stage_is_sent_at_once_and_replaces_what_was_held() -> None:
    sent = Sent()
    throttle = ProgressThrottle(sent, interval=60.0)  # no flush could come in this test
    throttle.report(Progress(0.1, "inputs"))
    throttle.report(Progress(0.2, "hazards"))
    throttle.report(Progress(0.3, "hazards"))  # held
    throttle.report(Progress(0.6, "narrative"))
    assert sent.items == [
        Progress(0.1, "inputs"),
        Progress(0.2, "hazards"),
        Progress(0.6, "narrative"),
    ]


def test_reports_an_interval_apart_all_go_at_once() -> None:
    sent = Sent()
    throttle = ProgressThrottle(sent, interval=0.01)
    reports = [Progress(i / 10, "steps") for i in range(1, 4)]
    for progress in reports:
        throttle.report(progress)
        assert sent.items[-1] == progress
        time.sleep(0.02)
    assert sent.items == reports


def test_the_end_of_a_job_drops_what_is_held_and_the_next_job_starts_afresh() -> None:
    sent = Sent()
    throttle = ProgressThrottle(sent, interval=INTERVAL)
    throttle.report(Progress(0.1, "hazards"))
    throttle.report(Progress(0.2, "hazards"))  # held
    throttle.end()
    time.sleep(INTERVAL * 3)
    assert sent.items == [Progress(0.1, "hazards")]
    throttle.report(Progress(0.1, "hazards"))  # the next job, same stage: not held back
    assert sent.items == [Progress(0.1, "hazards"), Progress(0.1, "hazards")]


def test_a_negative_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="interval"):
        ProgressThrottle(Sent(), interval=-1.0)


def test_throttles_of_many_jobs_share_one_flusher_that_sends_what_each_holds() -> None:
    sents = [Sent() for _ in range(4)]
    throttles = [
        ProgressThrottle(sent, interval=INTERVAL * (i + 1)) for i, sent in enumerate(sents)
    ]
    for throttle in throttles:
        throttle.report(Progress(0.1, "hazards"))
        throttle.report(Progress(0.2, "hazards"))  # held, each for its own interval
    for sent in sents:
        assert sent.wait_for(2) == [Progress(0.1, "hazards"), Progress(0.2, "hazards")]
    flushers = [t for t in threading.enumerate() if t.name == "riskreport-flusher"]
    assert len(flushers) == 1
