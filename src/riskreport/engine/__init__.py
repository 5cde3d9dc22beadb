"""The job engine. Job functions need only the names below (also at ``riskreport.engine.context``).

Use::

    from riskreport.engine import JobContext

    def run(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]: ...
"""

from riskreport.engine.context import (
    JobContext,
    JobFunction,
    JobOutput,
    LogContextFilter,
    job_id,
    request_id,
)

__all__ = ["JobContext", "JobFunction", "JobOutput", "LogContextFilter", "job_id", "request_id"]
