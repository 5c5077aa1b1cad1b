"""Page geometry lives in danvan.documents.geometry: the DOCX and the print view / PDF
stylesheets both follow it."""

import io

import pytest
from docx import Document

from danvan.documents import geometry
from danvan.documents.render import render_docx
from danvan.documents.render_html import document_css, page_css
from tests.documents.specs import seed_plan


@pytest.fixture
def fresh_css():
    page_css.cache_clear()
    document_css.cache_clear()
    yield
    page_css.cache_clear()
    document_css.cache_clear()


def _docx_margins(content: bytes) -> dict:
    section = Document(io.BytesIO(content)).sections[0]
    # Word stores twentieths of a point: compare to the tenth of a millimetre.
    return {
        side: round(getattr(section, f"{side}_margin").mm, 1)
        for side in ("top", "bottom", "left", "right")
    }


def test_the_docx_and_the_stylesheets_print_the_decree_30_margins(fresh_css):
    assert _docx_margins(render_docx(seed_plan())) == dict(geometry.MARGINS_MM)
    assert "margin: 20mm 15mm 20mm 30mm;" in page_css()
    assert "col.od-issuer-col { width: 39%; }" in document_css()
    assert "font-size: 14pt;" in document_css()


def test_changing_the_geometry_changes_every_format(fresh_css, monkeypatch):
    monkeypatch.setattr(geometry, "MARGINS_MM", {"top": 25, "bottom": 25, "left": 35, "right": 20})
    monkeypatch.setattr(geometry, "HEADER_COLUMNS", (0.4, 0.6))
    assert "margin: 25mm 20mm 25mm 35mm;" in page_css()
    assert "padding: 25mm 20mm 25mm 35mm;" in page_css()
    assert "col.od-issuer-col { width: 40%; }" in document_css()
    assert _docx_margins(render_docx(seed_plan())) == geometry.MARGINS_MM
