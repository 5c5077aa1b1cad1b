import tinycss2

from danvan.documents.render import document_css, render_html, render_html_fragment
from tests.documents.specs import decision, seed_plan


def test_print_view_is_a_standalone_vietnamese_page_with_its_css_inline():
    html = render_html(seed_plan())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html
    assert (
        "<title>KẾ HOẠCH Về việc phát động phong trào thi đua “Dân vận khéo” năm 2024</title>"
        in html
    )
    assert "@page" in html
    assert "counter(page)" in html
    assert document_css() in html
    assert "<link" not in html
    assert '<article class="official-document" lang="vi">' in html


def test_print_view_puts_the_nonce_on_its_style_element():
    html = render_html(seed_plan(), nonce="abc123")
    assert '<style nonce="abc123">' in html


def test_print_view_header_is_a_table_of_two_rows_in_reading_order():
    html = render_html(decision())
    header = html[html.index('<table class="od-header">') : html.index("</table>")]
    assert header.count("<tr>") == 2
    positions = [
        header.index(text)
        for text in (
            "ỦY BAN NHÂN DÂN THỊ XÃ ĐỨC PHỔ",
            "PHƯỜNG PHỔ MINH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 12/QĐ-UBND",
            "Phổ Minh, ngày 05 tháng 02 năm 2025",
        )
    ]
    assert positions == sorted(positions)


def test_fragment_is_only_the_article_for_a_portal_page():
    fragment = render_html_fragment(decision())
    assert fragment.strip().startswith('<article class="official-document" lang="vi">')
    assert fragment.strip().endswith("</article>")
    for absent in ("<html", "<style", "<head", "style="):
        assert absent not in fragment
    assert "Điều 1. </span>Tặng Giấy khen" in fragment
    assert '<td class="od-num">1.000.000</td>' in fragment


def test_fragment_escapes_text():
    fragment = render_html_fragment(seed_plan(subject="<script>alert(1)</script>"))
    assert "<script>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment


def test_document_css_is_scoped_to_the_article():
    rules = tinycss2.parse_stylesheet(document_css(), skip_comments=True, skip_whitespace=True)
    assert rules
    for rule in rules:
        assert rule.type == "qualified-rule", rule
        for selector in tinycss2.serialize(rule.prelude).split(","):
            assert selector.strip().startswith(".official-document"), selector


def test_document_css_uses_times_like_fonts_at_14_pt():
    css = document_css()
    assert (
        'font-family: "Times New Roman", "Liberation Serif", "Tinos", "DejaVu Serif", serif;' in css
    )
    assert "font-size: 14pt;" in css
