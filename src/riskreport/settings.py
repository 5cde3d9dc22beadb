"""Settings, read from ``RISKREPORT_*`` environment variables (and an optional ``.env`` file).

No instance exists at import time: entry points call ``Settings()`` and pass the object down
(``create_app(settings)``, ``open_services(settings)``). Every field is documented in README and
``.env.example``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self

from pydantic import AwareDatetime, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# An API key's name, as riskreport.engine.keys.NAME (settings may import nothing of ours).
_KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class BackendName(StrEnum):
    INLINE = "inline"  # runs each job right away, one at a time; tests and the one-shot CLI
    LOCAL = "local"  # this process's thread and process pools; the embedded default
    CELERY = "celery"  # Celery workers on Redis; scale-out


class RunnerName(StrEnum):
    """The engine's runner kinds (``riskreport.engine.spec.RunnerKind``), by value."""

    THREAD = "thread"  # I/O-bound work (LLM calls); cooperative cancel and deadline
    PROCESS = "process"  # CPU-bound or un-interruptible work; killed on timeout or cancel


class LogFormat(StrEnum):
    TEXT = "text"  # one line for people, with [request=... job=...]
    JSON = "json"  # one JSON object a line, for log collectors


class NarrativeName(StrEnum):
    TEMPLATE = "template"  # deterministic Jinja2 text, exact numbers
    LLM = "llm"  # an OpenAI-compatible server writes the prose, checked against the numbers


class DocumentName(StrEnum):
    HTML = "html"  # one self-contained page with charts
    MD = "md"  # Markdown
    PDF = "pdf"  # the HTML page printed with a CJK font (the slowest: about a second)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RISKREPORT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # -- storage ---------------------------------------------------------------------------
    database_url: str = Field(
        "sqlite:///./riskreport.db",
        description="SQLAlchemy URL of the job store: sqlite:///path or postgresql://...",
    )

    # -- engine ----------------------------------------------------------------------------
    backend: BackendName = Field(BackendName.LOCAL, description="Where jobs run.")
    # Report jobs render charts and PDFs, which hold the GIL for hundreds of milliseconds: in a
    # thread they would stall the event loop, so the default runs them in worker processes.
    runner: RunnerName = Field(
        RunnerName.PROCESS, description="Runner of report jobs with the local backend."
    )
    concurrency: int = Field(4, ge=1, le=256, description="Jobs running at once per process.")
    queue_limit: int = Field(
        100, ge=0, le=100_000, description="Jobs waiting for a slot before submit answers 429."
    )
    job_timeout: float = Field(60.0, gt=0, description="Seconds a job may run.")
    shutdown_grace: float = Field(
        10.0, ge=0, description="Seconds running jobs get to finish at shutdown."
    )
    shared_store: bool = Field(
        False,
        description="Other processes run jobs of the same store (set by `serve --workers N`): "
        "skip start-up recovery and re-read the store for waits and event streams.",
    )
    lease_seconds: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="With a shared store and the local backend (`serve --workers N`): seconds "
        "after a server process's last heartbeat (every sixth of this) that the others take "
        "over its queued and running jobs, if it died.",
    )
    store_poll_interval: float = Field(
        0.5,
        gt=0,
        description="Seconds between store reads when the store is shared: for waits, event "
        "streams and (`serve --workers N`) cancels made through another process. Only a "
        "fallback where changes are pushed (Celery's Redis; PostgreSQL with `serve --workers N`).",
    )
    retention_days: float | None = Field(
        None,
        gt=0,
        description="Delete finished jobs and their documents this many days after they "
        "finished (checked hourly); unset keeps them forever. Never a queued or running job.",
    )
    max_attempts: int = Field(
        3,
        ge=1,
        le=100,
        description="Starts after which a job found running at start-up (its process died) "
        "fails with code interrupted instead of running again.",
    )
    adopt_queued_before: AwareDatetime | None = Field(
        None,
        description="Set by `serve --workers N`: queued jobs created before this instant were "
        "recovered by the parent, and every worker offers to run them (the first one wins).",
    )

    # -- scale-out (RISKREPORT_BACKEND=celery) ----------------------------------------------
    broker_url: str = Field(
        "redis://127.0.0.1:6379/0",
        description="Redis URL of the Celery broker and of the event bus between processes.",
    )
    celery_queue: str = Field(
        "riskreport",
        min_length=1,
        description="Celery queue of the jobs (and prefix of the event channel); deployments "
        "sharing one Redis use different names.",
    )

    # -- loop-lag monitor ------------------------------------------------------------------
    lag_interval: float = Field(0.01, gt=0, description="Seconds between lag probes.")
    lag_threshold: float = Field(
        0.05, gt=0, description="Lag in seconds above which the blocking stack is logged."
    )

    # -- HTTP server -----------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address `riskreport serve` binds.")
    port: int = Field(8000, ge=1, le=65535, description="Port `riskreport serve` binds.")
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")
    log_format: LogFormat = Field(LogFormat.TEXT, description="Log lines: text or json.")
    max_body_bytes: int = Field(
        1_000_000,
        ge=1024,
        le=100_000_000,
        description="Largest request body in bytes; larger ones get 413 before they are read.",
    )
    client_timeout: float = Field(
        10.0,
        gt=0,
        le=300,
        description="Seconds a client may take to send a request's head, and again its body "
        "(slow clients get 408 and are disconnected).",
    )

    # -- access ----------------------------------------------------------------------------
    api_keys: SecretStr | None = Field(
        None,
        description="API keys as name=secret,name=secret; with these or keys in the database "
        "(`riskreport keys create`), every API call needs one. Never logged.",
    )
    allow_open: bool = Field(
        False,
        description="Let `serve` listen on a non-loopback address without API keys.",
    )
    key_queue_limit: int = Field(
        20, ge=1, le=100_000, description="Jobs one API key may have waiting (429 beyond)."
    )
    key_rate_limit: int = Field(
        60, ge=1, le=100_000, description="Reports one API key may submit per minute (429 beyond)."
    )

    # -- narrative -------------------------------------------------------------------------
    narrative: NarrativeName = Field(NarrativeName.TEMPLATE, description="Default writer.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. .../v1")
    llm_model: str | None = Field(None, description="Model name sent to the LLM server.")
    llm_api_key: SecretStr | None = Field(None, description="API key; never logged.")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds one LLM call may take at most.")

    # -- hazard maps -----------------------------------------------------------------------
    hazard_maps: Path | None = Field(
        None,
        description="Folder of flood hazard maps (GeoTIFF, named as WRI Aqueduct Floods v2 "
        "names them; needs the `maps` extra); unset: the built-in flood model only.",
    )

    # -- documents -------------------------------------------------------------------------
    documents: Annotated[tuple[DocumentName, ...], NoDecode] = Field(
        (DocumentName.HTML, DocumentName.MD, DocumentName.PDF),
        description="Documents offered for every report, comma-separated (html,md,pdf), each "
        "rendered on its first request; empty offers none (the JSON report is always there).",
    )
    documents_eager: bool = Field(
        False,
        description="Render the documents inside the report job, before it is done, instead "
        "of on their first request.",
    )

    @field_validator("documents", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    def key_secrets(self) -> dict[str, str]:
        """``RISKREPORT_API_KEYS`` as ``{name: secret}``; ``ValueError`` naming a bad entry.

        Checked here, not by a field validator: pydantic's errors repeat the input, and this
        input is secret. Entry points call ``bootstrap.check_settings``, which calls this.
        """
        if self.api_keys is None:
            return {}
        keys: dict[str, str] = {}
        for item in self.api_keys.get_secret_value().split(","):
            if not item.strip():
                continue
            name, equals, secret = (part.strip() for part in item.strip().partition("="))
            if not equals or not _KEY_NAME.match(name) or len(secret) < 16:
                raise ValueError(
                    f"RISKREPORT_API_KEYS: {name[:64]!r} is not name=secret with a name of "
                    "letters, digits, '.', '_', '-' and a secret of at least 16 characters"
                )
            keys[name] = secret
        return keys

    @model_validator(mode="after")
    def _llm_needs_endpoint(self) -> Self:
        if self.narrative is NarrativeName.LLM and not (self.llm_base_url and self.llm_model):
            raise ValueError(
                "RISKREPORT_NARRATIVE=llm needs RISKREPORT_LLM_BASE_URL and RISKREPORT_LLM_MODEL"
            )
        return self
