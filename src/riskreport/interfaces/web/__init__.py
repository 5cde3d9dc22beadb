"""The web pages for people: a form, a job page that follows progress, and a list of reports.

``install_web(app)`` adds them (and their static files) to the API app.
"""

from riskreport.interfaces.web.pages import install_web, web_router

__all__ = ["install_web", "web_router"]
