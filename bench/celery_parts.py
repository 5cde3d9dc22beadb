"""Workers for ``bench.celery_scale``: riskreport's generic task, and raw Celery tasks.

``python -m bench.celery_parts riskreport`` runs ``riskreport worker`` with the benchmark's job
kinds; ``python -m bench.celery_parts raw`` runs a plain Celery worker whose one task counts in
Redis (the raw baseline: same broker, same delivery settings, no store);
``python -m bench.celery_parts raw-results`` runs one whose task returns ``{"ok": 1}`` to a Redis
result backend (the baseline with results kept, as riskreport keeps them).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import redis
from celery import Celery

from riskreport.engine.backends.celery.app import CeleryConfig, celery_app

KINDS = {"trivial": "bench.contenders:trivial_job", "io": "bench.celery_parts:io_job"}
RAW_TASK = "bench.raw_count"
RAW_RESULT_TASK = "bench.raw_result"
# A folder: the riskreport worker's pool processes write their store and SQL counts there.
COUNTS_FOLDER = "RISKREPORT_BENCH_COUNTS"


def io_job(payload: Mapping[str, Any], ctx: Any) -> dict[str, float]:
    """Wait ``seconds`` on blocking I/O (a sleep), as an LLM or HTTP call would."""
    seconds = float(payload.get("seconds", 1.0))
    time.sleep(seconds)
    return {"slept": seconds}


def raw_app() -> Celery:
    """A plain Celery app with riskreport's delivery settings and one counting task."""
    config = CeleryConfig(
        broker_url=os.environ["RISKREPORT_BROKER_URL"],
        job_timeout=60,
        queue=os.environ["RISKREPORT_CELERY_QUEUE"] + "-raw",
    )
    app = celery_app(config)
    counter = redis.Redis.from_url(config.broker_url)

    @app.task(name=RAW_TASK)  # type: ignore[untyped-decorator]
    def count(key: str) -> None:
        counter.incr(key)

    return app


def raw_results_app() -> Celery:
    """A plain Celery app with riskreport's delivery settings, a Redis result backend (the
    broker's Redis) and one task that returns what riskreport's trivial job returns."""
    config = CeleryConfig(
        broker_url=os.environ["RISKREPORT_BROKER_URL"],
        job_timeout=60,
        queue=os.environ["RISKREPORT_CELERY_QUEUE"] + "-raw-results",
    )
    app = celery_app(config)
    # Results expire soon: the benchmark's Redis is not left holding thousands of them.
    app.conf.update(task_ignore_result=False, result_backend=config.broker_url, result_expires=600)

    @app.task(name=RAW_RESULT_TASK)  # type: ignore[untyped-decorator]
    def result() -> dict[str, int]:
        return {"ok": 1}

    return app


def main() -> None:
    from riskreport.bootstrap import celery_worker_app, run_celery_worker
    from riskreport.engine.backends.celery.worker import run_worker
    from riskreport.engine.spec import JobSpec, RunnerKind
    from riskreport.settings import Settings

    settings = Settings(_env_file=None)
    if sys.argv[1] in ("raw", "raw-results"):
        app = raw_app() if sys.argv[1] == "raw" else raw_results_app()
        queue = f"{settings.celery_queue}-{sys.argv[1]}"
        run_worker(app, concurrency=settings.concurrency, queue=queue, log_level="info")
        return
    specs = [JobSpec(kind, path, RunnerKind.THREAD) for kind, path in KINDS.items()]
    app = celery_worker_app(settings, specs=specs)
    if counts := os.environ.get(COUNTS_FOLDER):
        _count_into(Path(counts))
    run_celery_worker(app, settings, concurrency=settings.concurrency)


def _count_into(folder: Path) -> None:
    """Count each pool process's store calls and SQL round trips from the end of its warm-up
    (this hook runs after the worker's own) and write them to ``folder`` when it stops."""
    from celery import signals

    from bench import counting

    counting.install()
    signals.worker_process_init.connect(lambda **_: counting.reset(), weak=False)
    signals.worker_process_shutdown.connect(lambda **_: counting.write(folder), weak=False)


if __name__ == "__main__":
    main()
