"""A Celery worker that runs the engine tests' stand-in jobs (``tests/engine/jobfuncs.py``).

Started by the Celery tests as ``python -m tests.engine.celery_worker`` with ``RISKREPORT_*``
variables naming the store, the broker and the queue; it is ``riskreport worker`` with other
job specs.
"""

from __future__ import annotations

from riskreport.bootstrap import celery_worker_app, run_celery_worker
from riskreport.engine.spec import JobSpec, RunnerKind
from riskreport.settings import Settings
from tests.engine.conftest import specs


def stand_in_specs() -> list[JobSpec]:
    return specs(RunnerKind.THREAD)


def main() -> None:
    settings = Settings()
    app = celery_worker_app(settings, specs=stand_in_specs())
    run_celery_worker(app, settings, concurrency=settings.concurrency)


if __name__ == "__main__":
    main()
