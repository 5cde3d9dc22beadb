"""The Celery backend: jobs run in Celery workers on Redis, their state lives in the job store.

- :mod:`.app`: the Celery application, its semantics (late acks, prefetch 1, limits) and names;
- :mod:`.backend`: :class:`~.backend.CeleryBackend`, the API process's side (submit, cancel, push);
- :mod:`.worker`: the worker process's side (the one generic task that runs any job kind).
"""
