"""The PDF of an official document, laid out by WeasyPrint from the print view."""

import logging
import threading
from functools import cache

from danvan.documents.layout import OfficialDocument, normalized
from danvan.documents.render_html import document_css, page_css, render_html

# Pango and fontconfig are not documented as thread-safe, and the font configuration
# below is shared: one PDF at a time per process (worker processes still run in parallel).
_lock = threading.Lock()

# WeasyPrint logs every layout step at INFO; keep that out of the logs unless the
# settings give its logger a level of their own.
if logging.getLogger("weasyprint.progress").level == logging.NOTSET:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@cache
def _weasyprint():
    """WeasyPrint, its font configuration and the parsed stylesheet, set up once.

    Imported here, not at the top: loading Pango costs every process that never prints.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    # The document embeds nothing from outside: refuse every URL but data: URLs.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    fonts = FontConfiguration()
    stylesheet = CSS(string=page_css() + document_css(), font_config=fonts, url_fetcher=fetcher)
    return HTML, fetcher, fonts, stylesheet


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as a PDF: A4, page numbers from page 2, title in the metadata."""
    # The same page as render_html(), with the stylesheet passed pre-parsed.
    page = render_html(normalized(doc), inline_css=False)
    with _lock:
        html_class, fetcher, fonts, stylesheet = _weasyprint()
        return html_class(string=page, url_fetcher=fetcher).write_pdf(
            stylesheets=[stylesheet],
            font_config=fonts,
            presentational_hints=True,  # <col width> sizes the columns of data tables
        )


def render_page_pdf(html: str) -> bytes:
    """A standalone page of the portal's own (its styles inline, such as a certificate)
    as a PDF, with the same fonts and the same refusal of outside URLs."""
    with _lock:
        html_class, fetcher, fonts, _stylesheet = _weasyprint()
        return html_class(string=html, url_fetcher=fetcher).write_pdf(font_config=fonts)


def render_pages_pdf(pages, *, progress=None) -> bytes:
    """Several standalone pages (``render_page_pdf``'s kind, e.g. every certificate of a
    decision) as one PDF; ``progress(n)`` after each page is laid out."""
    documents = []
    for index, html in enumerate(pages, start=1):
        with _lock:
            html_class, fetcher, fonts, _stylesheet = _weasyprint()
            documents.append(html_class(string=html, url_fetcher=fetcher).render(font_config=fonts))
        if progress is not None:
            progress(index)
    if not documents:
        raise ValueError("no pages to print")
    with _lock:
        every_page = [page for document in documents for page in document.pages]
        return documents[0].copy(every_page).write_pdf()
