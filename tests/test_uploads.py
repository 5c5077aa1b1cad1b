"""Uploads that expand when opened are refused (danvan/uploads.py)."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from danvan.uploads import EVIDENCE_TYPES, check_upload

MB = 1024 * 1024


def check(name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return check_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=20 * MB)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, content)
    assert caught.value.code == "expands"
    return caught.value.messages[0]


def image(size, kind="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size).save(buffer, format=kind)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: what a decompression bomb starts with."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + end


def heic(width: int, height: int) -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftypheic" + struct.pack(">I", 0) + b"mif1heic"
    ispe = struct.pack(">I", 20) + b"ispe" + struct.pack(">III", 0, width, height)
    meta = struct.pack(">I", 8 + len(ispe)) + b"meta" + ispe
    return ftyp + meta + b"\x00" * 64


def docx(**parts) -> bytes:
    """A zip laid out like a Word file, with the given extra parts (name -> bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for name, content in parts.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def real_docx() -> bytes:
    document = Document()
    document.add_paragraph("Báo cáo thành tích")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_ordinary_images_and_office_files_are_accepted():
    assert check("anh.png", image((400, 300))).content_type == "image/png"
    assert check("anh.jpg", image((400, 300), "JPEG")).content_type == "image/jpeg"
    assert check("anh.webp", image((400, 300), "WEBP")).content_type == "image/webp"
    assert check("anh.heic", heic(4032, 3024)).content_type == "image/heic"
    assert check("bao-cao.docx", real_docx()).size > 0


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_an_image_above_the_pixel_limit_is_refused(settings, kind):
    settings.UPLOAD_MAX_IMAGE_MEGAPIXELS = 1
    extension = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[kind]
    assert check(f"anh.{extension}", image((1000, 1000), kind))  # exactly one million
    message = refusal(f"anh.{extension}", image((1001, 1000), kind))
    assert message == (
        f"Tệp “anh.{extension}” bị từ chối: ảnh 1001 × 1000 điểm ảnh, vượt giới hạn 1 "
        "triệu điểm ảnh."
    )


def test_a_decompression_bomb_is_refused_from_its_header():
    # 100,000 × 100,000 pixels declared in 57 bytes; Pillow itself would refuse to open it.
    message = refusal("bom.png", png_header_only(100_000, 100_000))
    assert "ảnh quá lớn, vượt giới hạn 100 triệu điểm ảnh." in message
    message = refusal("bom.png", png_header_only(20_000, 6_000))
    assert "ảnh 20000 × 6000 điểm ảnh, vượt giới hạn 100 triệu điểm ảnh." in message


def test_a_heic_photo_above_the_pixel_limit_is_refused():
    assert "ảnh 20000 × 20000 điểm ảnh" in refusal("anh.heic", heic(20_000, 20_000))


def test_an_office_file_that_unpacks_beyond_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_MB = 1
    content = docx(word__media__image1_png=bytes(range(256)) * 5000)  # 1.2 MB, stored as is
    message = refusal("bao-cao.docx", content)
    assert "khi giải nén, tệp lớn 1,2\xa0MB, vượt giới hạn 1,0\xa0MB." in message


def test_an_office_file_compressed_beyond_the_ratio_is_refused():
    content = docx(word__header1_xml=b" " * (50 * MB))  # 50 MB of spaces in 50 KB
    assert len(content) < 100_000
    message = refusal("bao-cao.docx", content)
    assert "tệp nén với tỷ lệ bất thường" in message
    assert "tối đa 100 lần" in message


def test_a_zip_of_very_many_parts_is_refused():
    parts = {f"word__p{index}_xml": b"" for index in range(2001)}
    assert "tệp nén có 2003 thành phần" in refusal("bao-cao.docx", docx(**parts))


def test_a_truncated_office_file_is_refused():
    content = real_docx()
    message = refusal("bao-cao.docx", content[: len(content) // 2])
    assert message == "Tệp “bao-cao.docx” bị từ chối: tệp bị hỏng hoặc chưa tải lên trọn vẹn."


def test_an_image_pillow_cannot_read_is_left_to_the_type_check():
    # The bytes say PNG; with no readable header there are no pixels to decode either.
    assert check("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).content_type == "image/png"
