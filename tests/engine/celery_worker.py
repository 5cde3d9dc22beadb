"""A Celery worker that runs the engine tests' stand-in jobs (``tests/engine/jobfuncs.py``).

Started by the Celery tests as ``python -m tests.engine.celery_worker`` with ``RISKREPORT_*``
variables naming the store, the broker and the queue; it is ``riskreport worker`` with other
job specs.
"""

from __future__ import annotations

import os

from riskreport.bootstrap import celery_worker_app, run_celery_worker
from riskreport.engine.spec import Initializer, JobSpec, RunnerKind
from riskreport.settings import Settings
from tests.engine.conftest import specs

# Given, each worker process appends its pid to this file at warm-up.
MARKER = "RISKREPORT_TEST_PREPARE_MARKER"


def stand_in_specs() -> list[JobSpec]:
    """The contract's stand-in kinds, plus ``report`` (what the API submits) as four stages."""
    return [*specs(RunnerKind.THREAD), JobSpec("report", "tests.engine.jobfuncs:slow_steps")]


def main() -> None:
    settings = Settings()
    marker = os.environ.get(MARKER)
    initializer = Initializer("tests.engine.jobfuncs:prepare", (marker,)) if marker else None
    app = celery_worker_app(settings, specs=stand_in_specs(), initializer=initializer)
    run_celery_worker(app, settings, concurrency=settings.concurrency)


if __name__ == "__main__":
    main()
