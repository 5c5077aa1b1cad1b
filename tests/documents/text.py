"""Text out of generated files, in reading order, for assertions on real output."""

import io
from contextlib import closing

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader


def _block_lines(container) -> list[str]:
    lines = []
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    lines.extend(_block_lines(cell))
    return lines


def docx_lines(content: bytes) -> list[str]:
    """The body's non-empty paragraph texts in document order; tables row by row, cell
    by cell. Headers and footers are left out (see ``docx_header_xml``)."""
    document = docx.Document(io.BytesIO(content))
    return [line for line in _block_lines(document) if line.strip()]


def docx_document(content: bytes):
    return docx.Document(io.BytesIO(content))


def pdf_pages(content: bytes) -> list[list[str]]:
    """Each page's non-empty text lines, as pypdf extracts them."""
    reader = PdfReader(io.BytesIO(content))
    return [
        [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for page in reader.pages
    ]


def pdf_text(content: bytes) -> str:
    """The running text of all pages, page numbers left out, lines joined by a space so
    a phrase broken over two lines (or two pages) still matches."""
    lines = []
    for number, page in enumerate(pdf_pages(content), start=1):
        lines.extend(line for line in page if line != str(number))
    return flat(" ".join(lines))


def docx_text(content: bytes) -> str:
    return flat(" ".join(docx_lines(content)))


def flat(text: str) -> str:
    """Runs of white space as one space."""
    return " ".join(text.split())


def missing_in_order(text: str, needles) -> list[str]:
    """The needles that do not occur in ``text`` in the given order, each after the end
    of the one before; empty when all do."""
    missing, position = [], 0
    for needle in needles:
        found = text.find(flat(needle), position)
        if found < 0:
            missing.append(needle)
        else:
            position = found + len(flat(needle))
    return missing


def streamed(response) -> bytes:
    """The body of a ``FileResponse``, its file closed afterwards. Not through
    ``response.close()``: that fires ``request_finished``, which closes the database
    connection and with it the test's transaction (Django's test client prevents that)."""
    with closing(response.file_to_stream):
        return b"".join(response.streaming_content)
