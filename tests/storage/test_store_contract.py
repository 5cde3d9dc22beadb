"""One contract for every JobStore: memory, SQLite (a file) and PostgreSQL (the real server)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from riskreport.engine.encoded import EncodedJSON
from riskreport.engine.errors import (
    ArtifactNotFound,
    IllegalTransition,
    InvalidCursor,
    JobNotFound,
)
from riskreport.engine.jobs import Artifact, Job, JobError, JobStatus, Progress
from riskreport.engine.store import JobStore
from tests.storage.conftest import StoreFactory

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(20)]

T0 = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
PAYLOAD = {"building": {"floors": 12, "use": "office"}, "scenarios": ["SSP2-4.5"], "ko": "서울"}


def job(job_id: str, *, at: datetime = T0, kind: str = "report") -> Job:
    return Job(id=job_id, kind=kind, payload=PAYLOAD, created_at=at)


async def finished(store: JobStore, job_id: str, status: JobStatus, at: datetime = T0) -> Job:
    await store.create(job(job_id, at=at))
    if status is JobStatus.QUEUED:
        return await store.get(job_id)
    started = await store.transition(job_id, JobStatus.RUNNING, at=at + timedelta(seconds=1))
    if status is JobStatus.RUNNING:
        return started
    return await store.transition(job_id, status, at=at + timedelta(seconds=2))


async def test_create_then_get_round_trips_every_field(store: JobStore) -> None:
    await store.create(job("a"))
    got = await store.get("a")
    assert got == Job(id="a", kind="report", payload=PAYLOAD, created_at=T0)
    assert got.created_at.tzinfo is not None
    assert got.status is JobStatus.QUEUED
    assert got.progress == Progress(0.0, "queued")


async def test_create_refuses_a_duplicate_id(store: JobStore) -> None:
    await store.create(job("a"))
    with pytest.raises(ValueError, match="exists"):
        await store.create(job("a"))


async def test_get_unknown_raises_job_not_found(store: JobStore) -> None:
    with pytest.raises(JobNotFound):
        await store.get("nope")


async def test_timestamps_keep_their_instant_across_time_zones(store: JobStore) -> None:
    seoul = timezone(timedelta(hours=9))
    await store.create(job("a", at=T0.astimezone(seoul)))
    got = await store.get("a")
    assert got.created_at == T0
    assert got.created_at.utcoffset() == timedelta(0)


async def test_naive_timestamps_are_refused(store: JobStore) -> None:
    with pytest.raises(ValueError, match="timezone"):
        await store.create(job("a", at=T0.replace(tzinfo=None)))


async def test_a_job_runs_and_succeeds_with_result_and_artifacts(store: JobStore) -> None:
    await store.create(job("a"))
    running = await store.transition(
        "a", JobStatus.RUNNING, at=T0 + timedelta(seconds=1), progress=Progress(0.0, "running")
    )
    assert running.status is JobStatus.RUNNING
    assert running.started_at == T0 + timedelta(seconds=1)
    assert running.finished_at is None
    pdf = Artifact("report.pdf", "application/pdf", b"%PDF\x00\xff\x01")
    md = Artifact("report.md", "text/markdown", "# 보고서".encode())
    done = await store.transition(
        "a",
        JobStatus.SUCCEEDED,
        at=T0 + timedelta(seconds=3),
        result={"grade": "B", "eal": {"value": 1.5e7, "unit": "KRW"}},
        progress=Progress(1.0, "done"),
        artifacts=[pdf, md],
    )
    assert done == await store.get("a")
    assert done.status is JobStatus.SUCCEEDED
    assert done.result == {"grade": "B", "eal": {"value": 1.5e7, "unit": "KRW"}}
    assert done.progress == Progress(1.0, "done")
    assert done.started_at == T0 + timedelta(seconds=1)
    assert done.finished_at == T0 + timedelta(seconds=3)
    assert await store.get_artifact("a", "report.pdf") == pdf
    assert await store.get_artifact("a", "report.md") == md
    with pytest.raises(ArtifactNotFound):
        await store.get_artifact("a", "report.html")
    with pytest.raises(JobNotFound):
        await store.get_artifact("nope", "report.pdf")


async def test_an_artifact_added_later_keeps_the_first_one_stored(store: JobStore) -> None:
    await store.create(job("a"))
    await store.transition("a", JobStatus.RUNNING, at=T0)
    await store.transition("a", JobStatus.SUCCEEDED, at=T0, result={"grade": "B"})
    with pytest.raises(ArtifactNotFound):
        await store.get_artifact("a", "pdf")
    first = Artifact("pdf", "application/pdf", b"%PDF first")
    assert await store.put_artifact("a", first) == first
    # a second renderer (another process) gets the first one back; readers see one document
    assert await store.put_artifact("a", Artifact("pdf", "application/pdf", b"%PDF 2")) == first
    assert await store.get_artifact("a", "pdf") == first
    with pytest.raises(JobNotFound):
        await store.put_artifact("nope", first)


async def test_failure_keeps_the_error(store: JobStore) -> None:
    await finished(store, "a", JobStatus.RUNNING)
    error = JobError("error", "ValueError: boom")
    failed = await store.transition("a", JobStatus.FAILED, at=T0, error=error)
    assert failed.error == error
    assert (await store.get("a")).error == error


@pytest.mark.parametrize(
    ("start", "new"),
    [
        (JobStatus.QUEUED, JobStatus.SUCCEEDED),
        (JobStatus.QUEUED, JobStatus.TIMED_OUT),
        (JobStatus.RUNNING, JobStatus.QUEUED),
        (JobStatus.SUCCEEDED, JobStatus.RUNNING),
        (JobStatus.SUCCEEDED, JobStatus.CANCELLED),
        (JobStatus.CANCELLED, JobStatus.FAILED),
        (JobStatus.TIMED_OUT, JobStatus.SUCCEEDED),
    ],
)
async def test_illegal_transitions_raise_and_change_nothing(
    store: JobStore, start: JobStatus, new: JobStatus
) -> None:
    before = await finished(store, "a", start)
    with pytest.raises(IllegalTransition) as raised:
        await store.transition("a", new, at=T0 + timedelta(hours=1))
    assert (raised.value.old, raised.value.new) == (start.value, new.value)
    assert await store.get("a") == before


async def test_transition_of_unknown_job_raises_job_not_found(store: JobStore) -> None:
    with pytest.raises(JobNotFound):
        await store.transition("nope", JobStatus.RUNNING, at=T0)


async def test_racing_final_transitions_have_exactly_one_winner(store: JobStore) -> None:
    for i in range(5):
        await finished(store, f"j{i}", JobStatus.RUNNING)
        outcomes = await asyncio.gather(
            store.transition(f"j{i}", JobStatus.SUCCEEDED, at=T0, result={"ok": True}),
            store.transition(f"j{i}", JobStatus.CANCELLED, at=T0),
            store.transition(f"j{i}", JobStatus.TIMED_OUT, at=T0),
            return_exceptions=True,
        )
        winners = [o for o in outcomes if isinstance(o, Job)]
        losers = [o for o in outcomes if isinstance(o, IllegalTransition)]
        assert len(winners) == 1, outcomes
        assert len(losers) == 2, outcomes
        assert (await store.get(f"j{i}")).status is winners[0].status


async def test_progress_is_recorded_while_running_only(store: JobStore) -> None:
    await store.create(job("a"))
    await store.set_progress("a", Progress(0.5, "early"))  # queued: ignored
    assert (await store.get("a")).progress == Progress(0.0, "queued")
    await store.transition("a", JobStatus.RUNNING, at=T0)
    await store.set_progress("a", Progress(0.4, "hazards"))
    assert (await store.get("a")).progress == Progress(0.4, "hazards")
    await store.transition("a", JobStatus.CANCELLED, at=T0)
    await store.set_progress("a", Progress(0.9, "late"))  # final: ignored, no error
    assert (await store.get("a")).progress == Progress(0.4, "hazards")
    with pytest.raises(JobNotFound):
        await store.set_progress("nope", Progress(0.1, "x"))


async def test_list_pages_newest_first_without_gaps_or_repeats(store: JobStore) -> None:
    ids = []
    for i in range(7):
        # Two jobs share each timestamp: the id breaks the tie.
        at = T0 + timedelta(seconds=i // 2)
        ids.append(f"job-{i}")
        await store.create(job(f"job-{i}", at=at))
    expected = [j for _, j in sorted((T0 + timedelta(seconds=int(j[4:]) // 2), j) for j in ids)]
    expected.reverse()
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = await store.list(limit=3, cursor=cursor)
        pages += 1
        seen.extend(j.id for j in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected
    assert pages == 3
    assert (await store.list(limit=7)).next_cursor is None


async def test_list_filters_by_status(store: JobStore) -> None:
    await finished(store, "q", JobStatus.QUEUED, at=T0)
    await finished(store, "s1", JobStatus.SUCCEEDED, at=T0 + timedelta(seconds=1))
    await finished(store, "f", JobStatus.FAILED, at=T0 + timedelta(seconds=2))
    await finished(store, "s2", JobStatus.SUCCEEDED, at=T0 + timedelta(seconds=3))
    page = await store.list(status=JobStatus.SUCCEEDED, limit=1)
    assert [j.id for j in page.items] == ["s2"]
    assert page.next_cursor is not None
    rest = await store.list(status=JobStatus.SUCCEEDED, limit=10, cursor=page.next_cursor)
    assert [j.id for j in rest.items] == ["s1"]
    assert rest.next_cursor is None
    assert (await store.list(status=JobStatus.RUNNING)).items == ()


async def test_list_rejects_bad_cursor_and_limit(store: JobStore) -> None:
    with pytest.raises(InvalidCursor):
        await store.list(cursor="not-a-cursor")
    with pytest.raises(ValueError, match="limit"):
        await store.list(limit=0)


async def test_count_by_status_names_every_state(store: JobStore) -> None:
    await finished(store, "a", JobStatus.QUEUED)
    await finished(store, "b", JobStatus.RUNNING)
    await finished(store, "c", JobStatus.SUCCEEDED)
    await finished(store, "d", JobStatus.SUCCEEDED)
    counts = await store.count_by_status()
    assert counts == {
        JobStatus.QUEUED: 1,
        JobStatus.RUNNING: 1,
        JobStatus.SUCCEEDED: 2,
        JobStatus.FAILED: 0,
        JobStatus.CANCELLED: 0,
        JobStatus.TIMED_OUT: 0,
    }


async def test_entering_running_counts_an_attempt(store: JobStore) -> None:
    started = await finished(store, "r", JobStatus.RUNNING)
    assert started.attempts == 1
    assert (await store.get("r")).attempts == 1
    assert await store.requeue("r")
    again = await store.transition("r", JobStatus.RUNNING, at=T0 + timedelta(seconds=5))
    assert again.attempts == 2


async def test_recover_running_requeues_under_the_limit_and_fails_at_it(store: JobStore) -> None:
    queued = await finished(store, "q", JobStatus.QUEUED)
    await finished(store, "once", JobStatus.RUNNING)
    await finished(store, "twice", JobStatus.RUNNING)
    assert await store.requeue("twice")
    await store.transition("twice", JobStatus.RUNNING, at=T0 + timedelta(seconds=3))
    done = await finished(store, "s", JobStatus.SUCCEEDED)
    error = JobError("interrupted", "the process stopped")
    at = T0 + timedelta(minutes=5)

    recovered = await store.recover_running(max_attempts=2, error=error, at=at)

    assert (recovered.requeued, recovered.failed) == (("once",), ("twice",))
    back = await store.get("once")
    assert (back.status, back.started_at, back.progress, back.attempts) == (
        JobStatus.QUEUED,
        None,
        Progress(0.0, "queued"),
        1,
    )
    failed = await store.get("twice")
    assert (failed.status, failed.error, failed.finished_at) == (JobStatus.FAILED, error, at)
    assert await store.get("q") == queued
    assert await store.get("s") == done
    again = await store.recover_running(max_attempts=2, error=error, at=at)
    assert (again.requeued, again.failed) == ((), ())


async def test_requeue_moves_only_running_jobs(store: JobStore) -> None:
    await finished(store, "q", JobStatus.QUEUED)
    await finished(store, "s", JobStatus.SUCCEEDED)
    await finished(store, "r", JobStatus.RUNNING)
    assert not await store.requeue("q")
    assert not await store.requeue("s")
    assert await store.requeue("r")
    assert (await store.get("r")).status is JobStatus.QUEUED
    assert not await store.requeue("r")


async def test_queued_jobs_come_oldest_first(store: JobStore) -> None:
    await finished(store, "late", JobStatus.QUEUED, at=T0 + timedelta(seconds=2))
    await finished(store, "b", JobStatus.QUEUED)
    await finished(store, "a", JobStatus.QUEUED)
    await finished(store, "run", JobStatus.RUNNING, at=T0 - timedelta(seconds=1))
    await finished(store, "end", JobStatus.SUCCEEDED, at=T0 - timedelta(seconds=1))
    assert [j.id for j in await store.queued_jobs()] == ["a", "b", "late"]
    before = T0 + timedelta(seconds=1)
    assert [j.id for j in await store.queued_jobs(created_before=before)] == ["a", "b"]


async def test_ping_answers_when_open(store: JobStore) -> None:
    await store.ping()


async def test_finished_jobs_survive_a_reopen(open_store: StoreFactory) -> None:
    """For the SQL store this is a restart: a new store object on the same database."""
    first = await open_store()
    await finished(first, "done", JobStatus.RUNNING)
    pdf = Artifact("report.pdf", "application/pdf", b"%PDF")
    await first.transition("done", JobStatus.SUCCEEDED, at=T0, result={"x": 1}, artifacts=[pdf])
    before = await first.get("done")
    await first.close()
    second = await open_store()
    assert await second.get("done") == before
    assert await second.get_artifact("done", "report.pdf") == pdf


async def test_results_keep_their_key_order(store: JobStore) -> None:
    await finished(store, "a", JobStatus.RUNNING)
    result = {"schema_version": "1", "zeta": 1, "alpha": {"b": 2, "a": 1}, "mid": [3, 2, 1]}
    await store.transition("a", JobStatus.SUCCEEDED, at=T0, result=result)
    got = (await store.get("a")).result
    assert got is not None
    assert list(got) == ["schema_version", "zeta", "alpha", "mid"]
    assert list(got["alpha"]) == ["b", "a"]


async def test_a_result_encoded_where_its_job_ran_is_stored_like_the_mapping(
    store: JobStore,
) -> None:
    result = {"grade": "B", "ko": "서울", "eal": {"value": 1.5e7}, "list": [1, None, True]}
    await finished(store, "plain", JobStatus.RUNNING)
    await finished(store, "encoded", JobStatus.RUNNING)
    plain = await store.transition("plain", JobStatus.SUCCEEDED, at=T0, result=result)
    encoded = await store.transition(
        "encoded", JobStatus.SUCCEEDED, at=T0, result=EncodedJSON.encode(result)
    )
    for got in (encoded.result, (await store.get("encoded")).result):
        assert type(got) is dict  # read back as a plain tree, as every stored result is
        assert got == plain.result == result
        assert list(got) == list(result)


async def test_an_idempotency_claim_names_its_job_until_it_expires(store: JobStore) -> None:
    day = 24 * 3600.0
    assert await store.claim_idempotency("acme", "k1", "d1", "job-1", at=T0, ttl=day) is None
    later = T0 + timedelta(hours=23)
    again = await store.claim_idempotency("acme", "k1", "d2", "job-2", at=later, ttl=day)
    assert again == ("job-1", "d1")
    # Another scope (API key) has its own keys.
    assert await store.claim_idempotency("beta", "k1", "d2", "job-3", at=later, ttl=day) is None
    # After the time to live, the key is free again.
    expired = T0 + timedelta(hours=25)
    assert await store.claim_idempotency("acme", "k1", "d4", "job-4", at=expired, ttl=day) is None
    assert await store.claim_idempotency("acme", "k1", "d5", "job-5", at=expired, ttl=day) == (
        "job-4",
        "d4",
    )


async def test_a_released_claim_frees_the_key_for_its_job_only(store: JobStore) -> None:
    day = 24 * 3600.0
    await store.claim_idempotency("-", "k", "d", "job-1", at=T0, ttl=day)
    await store.release_idempotency("-", "k", "other-job")  # not its claim: kept
    assert await store.claim_idempotency("-", "k", "d", "job-2", at=T0, ttl=day) == ("job-1", "d")
    await store.release_idempotency("-", "k", "job-1")
    assert await store.claim_idempotency("-", "k", "d", "job-3", at=T0, ttl=day) is None


async def test_purge_deletes_only_old_finished_jobs_and_their_artifacts(store: JobStore) -> None:
    old = T0 - timedelta(days=40)
    for status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED):
        await finished(store, f"old-{status.value}", status, at=old)
    pdf = Artifact("report.pdf", "application/pdf", b"%PDF")
    await finished(store, "old-with-pdf", JobStatus.RUNNING, at=old)
    await store.transition("old-with-pdf", JobStatus.SUCCEEDED, at=old, artifacts=[pdf])
    # As old, but never finished: never deleted.
    await finished(store, "old-queued", JobStatus.QUEUED, at=old)
    await finished(store, "old-running", JobStatus.RUNNING, at=old)
    recent = await finished(store, "recent", JobStatus.SUCCEEDED, at=T0)
    await store.claim_idempotency("-", "old-key", "d", "x", at=old, ttl=86400)

    assert await store.purge_finished(before=T0 - timedelta(days=30)) == 4

    for job_id in ("old-succeeded", "old-failed", "old-cancelled", "old-with-pdf"):
        with pytest.raises(JobNotFound):
            await store.get(job_id)
    with pytest.raises(JobNotFound):
        await store.get_artifact("old-with-pdf", "report.pdf")
    assert (await store.get("old-queued")).status is JobStatus.QUEUED
    assert (await store.get("old-running")).status is JobStatus.RUNNING
    assert await store.get("recent") == recent
    # The old idempotency claim went too: the key is free again.
    assert await store.claim_idempotency("-", "old-key", "d", "y", at=T0, ttl=1e9) is None
    assert await store.purge_finished(before=T0 - timedelta(days=30)) == 0
