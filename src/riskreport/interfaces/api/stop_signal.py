"""Start the engine's shutdown the moment the server is told to stop, not after it drained.

uvicorn, on SIGTERM or SIGINT, stops listening, waits for open requests (up to its graceful
timeout) and only then runs the lifespan's shutdown. Long polls (``Prefer: wait``) and event
streams would hold it for that whole time, and the engine's grace period would only start after
it. So while the app runs under a server that handles these signals, this module chains a
handler in front of the server's: it tells the engine at once (waits end with 503, streams with
a final event, running jobs start their grace period) and then lets the server do what it does.

Use (inside the lifespan, on the event loop)::

    with on_stop_signal(services.engine.begin_shutdown):
        yield
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger("riskreport.api")

SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def on_stop_signal(callback: Callable[[], None]) -> Iterator[None]:
    """Call ``callback`` on the running loop at SIGTERM/SIGINT, then the previous handler.

    Only signals that already have a Python handler (the server's) are chained: where nothing
    handles them (no server, a worker thread), this does nothing, and the default action stays.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    previous: dict[int, Callable[[int, FrameType | None], object]] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(callback)
        previous[signum](signum, frame)

    for sig in SIGNALS:
        current = signal.getsignal(sig)
        if callable(current):
            previous[sig] = current
            signal.signal(sig, handler)
    try:
        yield
    finally:
        for signum, before in previous.items():
            if signal.getsignal(signum) is handler:
                signal.signal(signum, before)
