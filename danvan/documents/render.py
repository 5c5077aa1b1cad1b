"""One official document in, three formats out. The public rendering API.

    spec = OfficialDocument(...)
    render_docx(spec) -> bytes      the editable Word file
    render_pdf(spec) -> bytes       the PDF (WeasyPrint, from the print view)
    render_html(spec) -> str        a standalone print-view page, CSS inline
    render_html_fragment(spec)      just the <article>, for a portal page that loads
    document_css()                  the article's stylesheet (serve it from a URL)

Every renderer NFC-normalises the text first.
"""

from danvan.documents.pdf import render_pdf
from danvan.documents.render_docx import render_docx
from danvan.documents.render_html import document_css, render_html, render_html_fragment

__all__ = ["document_css", "render_docx", "render_html", "render_html_fragment", "render_pdf"]
