"""The print view of an official document: HTML, also WeasyPrint's input for the PDF."""

from functools import cache

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from danvan.documents import geometry
from danvan.documents.layout import (
    DRAFT_MARK,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    PARTY,
    PARTY_STAR,
    PARTY_TITLE,
    RECIPIENTS_LABEL,
    OfficialDocument,
    Table,
    normalized,
)

FRAGMENT_TEMPLATE = "documents/official_document.html"
PAGE_TEMPLATE = "documents/official_page.html"


@cache
def document_css() -> SafeString:
    """The stylesheet of the document itself, every rule scoped to ``.official-document``.

    A portal page that embeds ``render_html_fragment`` serves this (it is constant) from
    one of its own URLs, since the site's CSP refuses inline styles.
    """
    return mark_safe(render_to_string("documents/official.css", geometry.css_context()))  # noqa: S308


@cache
def page_css() -> SafeString:
    """The page box of the standalone view and the PDF: A4, margins, page numbers."""
    return mark_safe(render_to_string("documents/page.css", geometry.css_context()))  # noqa: S308


def _run_classes(run) -> str:
    flags = (("od-b", run.bold), ("od-i", run.italic), ("od-u", run.underline))
    return " ".join(name for name, on in flags if on)


def _table_context(table: Table) -> dict:
    return {
        "table": True,
        "columns": [{"percent": f"{fraction * 100:.2f}"} for fraction in table.column_fractions],
        "headers": table.headers,
        "rows": [
            [{"text": text, "numeric": table.is_numeric(column)} for column, text in enumerate(row)]
            for row in table.rows
        ],
    }


def _context(doc: OfficialDocument) -> dict:
    blocks = []
    for block in doc.body:
        if isinstance(block, Table):
            blocks.append(_table_context(block))
        else:
            blocks.append(
                {
                    "table": False,
                    "style": block.style,
                    "runs": [
                        {"text": run.text, "classes": _run_classes(run)} for run in block.runs
                    ],
                }
            )
    return {
        "draft": doc.draft,
        "draft_mark": DRAFT_MARK,
        "header_parent": doc.header_parent,
        "header_lines": doc.header_lines,
        "national_title": NATIONAL_TITLE,
        "national_motto": NATIONAL_MOTTO,
        "party": doc.layout == PARTY,
        "party_title": PARTY_TITLE,
        "party_star": PARTY_STAR,
        "number_line": doc.number_line,
        "date_line": doc.date_line,
        "kind_title": doc.kind_title,
        "letter_subject": doc.letter_subject if doc.is_letter else "",
        "subject": doc.subject,
        "blocks": blocks,
        "recipients_label": RECIPIENTS_LABEL,
        "recipients": doc.recipients,
        "signature": doc.signature,
        "signature_lines": [signature.line for signature in doc.signature.signatures],
    }


def render_html_fragment(doc: OfficialDocument) -> SafeString:
    """The document as one ``<article class="official-document">``, to embed in a page
    that also loads ``document_css()``."""
    doc = normalized(doc)
    return mark_safe(render_to_string(FRAGMENT_TEMPLATE, _context(doc)))  # noqa: S308


def render_html(doc: OfficialDocument, *, nonce: str = "", inline_css: bool = True) -> str:
    """A complete standalone HTML page (``<html lang="vi">``) with its CSS inline.

    ``nonce`` is put on the ``<style>`` element for a response under a nonce-based CSP.
    ``inline_css=False`` leaves the CSS out, for a caller that supplies it separately
    (the PDF renderer passes a pre-parsed copy).
    """
    doc = normalized(doc)
    css = mark_safe(page_css() + document_css()) if inline_css else ""  # noqa: S308
    return render_to_string(
        PAGE_TEMPLATE,
        {
            "title": doc.document_title,
            "author": " ".join([doc.header_parent, *doc.header_lines]).strip(),
            "subject": doc.subject,
            "keywords": doc.metadata_keywords,
            "css": css,
            "nonce": nonce,
            "fragment": render_html_fragment(doc),
        },
    )
