"""The web pages: a form (``/``), a job page (``/reports/{id}``) and a list (``/reports``).

The pages are thin shells: Jinja2 renders the words (Korean or English) and the form fields; the
page's scripts call the JSON API (``fetch`` and ``EventSource``), so the page and the API can
never disagree. Everything (CSS, scripts) is served from this package: no CDN, no fonts or
scripts from elsewhere, no build step. Use::

    app = FastAPI()
    install_web(app)          # pages plus /static

The page language comes from ``?lang=ko|en`` (remembered in a cookie), else the cookie, else
``Accept-Language``; see :func:`riskreport.interfaces.web.catalog.negotiate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from riskreport.engine.jobs import FINAL_STATES, JobStatus
from riskreport.interfaces.web.catalog import (
    LANGUAGES,
    Lang,
    label,
    labels,
    negotiate,
    parse_lang,
    texts,
)
from riskreport.interfaces.web.form import form_spec

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
STATIC_ROUTE = "web-static"
LANG_COOKIE = "riskreport_lang"
# Stages of the report job, in order (riskreport.analysis.job:run_report reports them).
REPORT_STAGES: tuple[str, ...] = ("inputs", "hazards", "narrative", "documents")
_YEAR = 365 * 24 * 3600

LangQuery = Annotated[str | None, Query(description="Page language: ko or en.")]


class WebPages:
    """The templates and the page handlers; built once per app by :func:`web_router`."""

    def __init__(self) -> None:
        self.templates = Jinja2Templates(directory=TEMPLATES_DIR)
        self.version = version("riskreport")

    def lang_of(self, request: Request, query: str | None) -> Lang:
        return negotiate(
            query, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
        )

    def render(
        self,
        request: Request,
        template: str,
        lang: Lang,
        *,
        active: str = "",
        page_data: Mapping[str, Any] | None = None,
        remember_lang: bool = False,
        **context: Any,
    ) -> HTMLResponse:
        other: Lang = next(code for code in LANGUAGES if code != lang)
        query = dict(request.query_params)
        query["lang"] = other
        other_url = request.url.replace_query_params(**query)
        data = {"lang": lang, "texts": texts(lang), "labels": labels(lang), **(page_data or {})}

        def static(name: str) -> str:
            # The version in the URL lets browsers cache the files until the next release.
            return f"{request.url_for(STATIC_ROUTE, path=name).path}?v={self.version}"

        response = self.templates.TemplateResponse(
            request,
            template,
            {
                "lang": lang,
                "t": texts(lang),
                "active": active,
                "other_lang": other,
                "other_lang_url": f"{other_url.path}?{other_url.query}",
                "version": self.version,
                "page_data": data,
                "static": static,
                **context,
            },
        )
        if remember_lang:
            response.set_cookie(LANG_COOKIE, lang, max_age=_YEAR, samesite="lax")
        return response


def web_router() -> APIRouter:
    """The page routes (not in the OpenAPI document: they are for people)."""
    pages = WebPages()
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @router.get("/", name="web-form")
    async def form_page(request: Request, lang: LangQuery = None) -> HTMLResponse:
        chosen = pages.lang_of(request, lang)
        spec = form_spec(chosen)
        return pages.render(
            request,
            "form.html",
            chosen,
            active="new",
            remember_lang=parse_lang(lang) is not None,
            location=spec.location,
            sections=spec.sections,
        )

    @router.get("/reports", name="web-list")
    async def list_page(
        request: Request, lang: LangQuery = None, status: str | None = None
    ) -> HTMLResponse:
        chosen = pages.lang_of(request, lang)
        statuses = [(s.value, label("status", s.value, chosen)) for s in JobStatus]
        return pages.render(
            request,
            "list.html",
            chosen,
            active="list",
            remember_lang=parse_lang(lang) is not None,
            statuses=statuses,
            status=status if status in {s.value for s in JobStatus} else "",
        )

    @router.get("/reports/{job_id}", name="web-job")
    async def job_page(request: Request, job_id: str, lang: LangQuery = None) -> HTMLResponse:
        chosen = pages.lang_of(request, lang)
        stages = [{"key": s, "label": label("stage", s, chosen)} for s in REPORT_STAGES]
        return pages.render(
            request,
            "job.html",
            chosen,
            remember_lang=parse_lang(lang) is not None,
            page_data={
                "job_id": job_id,
                "final": sorted(s.value for s in FINAL_STATES),
            },
            job_id=job_id,
            stages=stages,
        )

    return router


def install_web(app: FastAPI) -> None:
    """Add the pages and their static files (``/static``) to ``app``."""
    app.include_router(web_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name=STATIC_ROUTE)
