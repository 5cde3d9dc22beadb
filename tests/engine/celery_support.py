"""Real Celery workers on the real Redis for the tests: start, wait until ready, stop, kill.

Redis: ``RISKREPORT_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``). When it is down the
tests fail naming Redis if ``CI=true``, and are skipped with that reason otherwise. Every worker
set gets a queue of its own (``rr-test-<random>``), so parallel runs on one Redis never take each
other's jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from riskreport.engine.backends.celery.app import CeleryConfig

# Job slots of the contract suite's worker (the contract's default concurrency).
CONTRACT_WORKER_SLOTS = 2
REDIS_URL = os.environ.get("RISKREPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


def require_redis() -> None:
    """Fail (CI) or skip (elsewhere) when Redis does not answer."""
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, OSError) as exc:
        message = f"Redis at {REDIS_URL} is unreachable: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message + " (set CI=true to make this a failure)")


def new_queue() -> str:
    return f"rr-test-{uuid.uuid4().hex[:10]}"


@dataclass
class Workers:
    """Worker processes sharing one store, broker queue and job timeout."""

    database_url: str
    queue: str
    job_timeout: float = 10.0
    module: str = "tests.engine.celery_worker"
    extra_env: Mapping[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    @property
    def config(self) -> CeleryConfig:
        return CeleryConfig(broker_url=REDIS_URL, job_timeout=self.job_timeout, queue=self.queue)

    def env(self, concurrency: int) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "RISKREPORT_DATABASE_URL": self.database_url,
            "RISKREPORT_BROKER_URL": REDIS_URL,
            "RISKREPORT_CELERY_QUEUE": self.queue,
            "RISKREPORT_JOB_TIMEOUT": str(self.job_timeout),
            "RISKREPORT_CONCURRENCY": str(concurrency),
            "RISKREPORT_LOG_LEVEL": "info",
            **self.extra_env,
        }

    def start(self, log_dir: Path, *, concurrency: int = 2) -> subprocess.Popen[bytes]:
        """Start one worker (its own session, so a kill takes its pool processes too)."""
        log_path = log_dir / f"worker-{len(self.processes)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", self.module],
                env=self.env(concurrency),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        self.logs.append(log_path)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its pool processes at once, as a lost machine would go."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def log_text(self) -> str:
        return "\n".join(f"--- {p}\n{p.read_text(errors='replace')[-4000:]}" for p in self.logs)


def wait_ready(workers: Workers, process: subprocess.Popen[bytes], within: float = 90.0) -> None:
    """Wait until the worker says it is ready (its pool processes warmed up)."""
    deadline = time.monotonic() + within
    log = workers.logs[workers.processes.index(process)]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the Celery worker exited with {process.returncode}:\n{workers.log_text()}"
            )
        if b" ready." in log.read_bytes():
            return
        time.sleep(0.1)
    pytest.fail(f"the Celery worker was not ready within {within:g} s:\n{workers.log_text()}")
