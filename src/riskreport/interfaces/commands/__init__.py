"""The report commands of the ``riskreport`` CLI: analyze here, talk to a server, run a batch.

``register(app)`` adds them to the typer app of ``riskreport.interfaces.cli``::

    analyze   one report computed in this process (progress bar, summary, --out files)
    submit    send a report to a server (--watch to follow it)
    status    one job on a server
    watch     follow a job with a live progress bar
    cancel    cancel a job
    list      recent jobs
    batch     a portfolio CSV, resumable
    maps      fetch the published flood hazard maps, check a map folder
    keys      create, list and revoke API keys

Exit codes are the same everywhere; see :mod:`riskreport.interfaces.commands.exit_codes`.
"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the report commands to ``app``."""
    # Imported here so that `riskreport serve` does not import the client and table code.
    from riskreport.interfaces.commands.analyze import analyze
    from riskreport.interfaces.commands.batch import batch
    from riskreport.interfaces.commands.maps import app as maps_app
    from riskreport.interfaces.commands.remote import cancel, list_jobs, status, submit, watch

    app.command()(analyze)
    app.command()(submit)
    app.command()(status)
    app.command()(watch)
    app.command()(cancel)
    app.command(name="list")(list_jobs)
    app.command()(batch)
    app.add_typer(maps_app, name="maps")
    from riskreport.interfaces.commands.keys import keys_app

    app.add_typer(keys_app, name="keys")
