"""``/docs``: Swagger UI served by this app, with no CDN.

FastAPI's default page loads Swagger UI's script and styles from a CDN, without integrity
hashes, and starts it with an inline script. Here the assets come from the
``swagger-ui-bundle-v2`` package (Swagger UI 5, which reads OpenAPI 3.1) under
``/docs/assets``, and the start-up script is a static file of this package, so the page works
offline and under a Content-Security-Policy without inline scripts. ReDoc (``/redoc``, CDN only)
is not offered.

Use: ``FastAPI(docs_url=None, redoc_url=None)``, then ``install_docs(app)``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS = f"{DOCS_PATH}/assets"
STATIC_DIR = Path(__file__).resolve().parent / "static"

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} · API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="{docs}/start.js"></script>
</body>
</html>
"""


def swagger_ui_dir() -> Path:
    """Where the installed ``swagger-ui-bundle-v2`` keeps Swagger UI's files."""
    # The package has no type information; its one attribute is this path.
    bundle = importlib.import_module("swagger_ui_bundle")
    return Path(str(bundle.swagger_ui_path))


def install_docs(app: FastAPI) -> None:
    """Add ``/docs`` (the page), ``/docs/start.js`` and ``/docs/assets/*`` (Swagger UI)."""
    page = _PAGE.format(title=app.title, assets=ASSETS, docs=DOCS_PATH)
    start = (STATIC_DIR / "docs.js").read_text(encoding="utf-8")

    @app.get(DOCS_PATH, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(f"{DOCS_PATH}/start.js", include_in_schema=False)
    async def swagger_ui_start() -> HTMLResponse:
        return HTMLResponse(start, media_type="text/javascript")

    app.mount(ASSETS, StaticFiles(directory=swagger_ui_dir()), name="swagger-ui")
