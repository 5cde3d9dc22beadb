"""One call of a job function, turned into an :class:`~riskreport.engine.outcome.Outcome`.

Shared by the thread runner and the worker process, so both map errors the same way. Use::

    outcome = run_function("pkg.mod:run", payload, ctx)   # never raises
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from riskreport.engine.context import JobContext
from riskreport.engine.errors import JobInterrupted
from riskreport.engine.outcome import Outcome
from riskreport.engine.spec import resolve

log = logging.getLogger("riskreport.engine")


def run_function(
    fn: Callable[..., Any] | str, payload: Mapping[str, Any], ctx: JobContext
) -> Outcome:
    """Call a job function (or import it first, given its dotted path) and turn whatever happens
    into an :class:`Outcome`; never raises. Shared by the thread runner and the worker process.
    """
    try:
        function = resolve(fn) if isinstance(fn, str) else fn
        return Outcome.of(function(payload, ctx))
    except JobInterrupted as exc:
        log.info("job %s stopped: %s", ctx.job_id, exc)
        return Outcome.from_exception(exc)
    except BaseException as exc:
        # BaseException too: a job calling sys.exit() must fail, not take the runner down.
        log.error("job %s failed", ctx.job_id, exc_info=exc)
        return Outcome.from_exception(exc)
