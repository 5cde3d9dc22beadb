"""Documents from one report: JSON, Markdown, HTML with charts, and PDF.

from riskreport.analysis.documents import render_documents
artifacts = render_documents(report, ("html", "md", "pdf"))
"""

from riskreport.analysis.documents.formats import MEDIA_TYPES, DocumentFormat, render_documents

__all__ = ["MEDIA_TYPES", "DocumentFormat", "render_documents"]
