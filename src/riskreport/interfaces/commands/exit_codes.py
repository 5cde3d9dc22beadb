"""The CLI's exit codes, the same for every command, so scripts can branch on them.

- 0: success
- 1: a job failed (failed, timed out or cancelled), or some rows of a batch did
- 2: bad input: invalid options, an invalid CSV row, a request the server rejected (4xx)
- 3: the server could not be reached (or stayed busy beyond patience)
- 130: interrupted with Ctrl-C (the shell convention 128 + SIGINT)
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # everything asked for was done
    JOB_FAILED = 1  # a job ended failed, timed_out or cancelled
    BAD_INPUT = 2  # the input was rejected before any work was done
    UNREACHABLE = 3  # no answer from the server (connection refused, DNS, timeout)
    INTERRUPTED = 130  # Ctrl-C; finished work is kept (batch resumes from its journal)
