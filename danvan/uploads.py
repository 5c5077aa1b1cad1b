"""Checking uploaded files: the type is read from the content, not trusted from the name,
and a file that would expand beyond bounds when opened is refused."""

import re
import struct
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from danvan.storage import FilesOfTransaction

# Extension -> content type, as detected from the file's first bytes.
EVIDENCE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

ZIP_TYPES = {EVIDENCE_TYPES["docx"], EVIDENCE_TYPES["xlsx"]}
# A zip whose directory lists more parts than this is refused unread (an Office file has
# a few dozen, a few hundred with many pictures).
MAX_ZIP_MEMBERS = 2000
# Parts smaller than this are not judged by their compression ratio: small XML parts of
# repeated markup compress very well and are no threat.
RATIO_FLOOR_BYTES = 1024 * 1024
MEGAPIXEL = 1_000_000
MB = 1024 * 1024

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    original_name: str
    stored_name: str
    content_type: str
    size: int


def safe_filename(name: str, *, limit: int = 120) -> str:
    """The user's file name without a path, control or reserved characters; Vietnamese kept."""
    name = unicodedata.normalize("NFC", PurePath(name.replace("\\", "/")).name)
    name = _UNSAFE.sub("_", name).strip(" ._") or "tep"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[: max(1, limit - len(ext) - 1)]
    return f"{stem}.{ext}" if ext else stem


def check_upload(upload, *, allowed: dict[str, str], max_bytes: int) -> CheckedUpload:
    """Accept ``upload`` only if its name's extension is allowed, its content is really of
    that type, and it is not larger than ``max_bytes``; raise ValidationError otherwise."""
    original = safe_filename(upload.name or "")
    extension = original.rpartition(".")[2].lower() if "." in original else ""
    if upload.size > max_bytes:
        raise ValidationError(
            _("Tệp “%(name)s” lớn %(size)s, vượt giới hạn %(limit)s mỗi tệp.")
            % {
                "name": original,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
            code="too_big",
        )
    if extension not in allowed:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng loại cho phép (%(allowed)s).")
            % {"name": original, "allowed": ", ".join(sorted({e.upper() for e in allowed}))},
            code="type",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess(head)
    if detected is None or detected.mime != allowed[extension]:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải %(kind)s như đuôi tệp cho biết.")
            % {"name": original, "kind": extension.upper()},
            code="content",
        )
    problem = expansion_problem(upload, detected.mime)
    if problem:
        raise ValidationError(
            _("Tệp “%(name)s” bị từ chối: %(problem)s") % {"name": original, "problem": problem},
            code="expands",
        )
    stored = f"{uuid.uuid4().hex}.{extension}"
    return CheckedUpload(
        file=upload,
        original_name=original,
        stored_name=stored,
        content_type=detected.mime,
        size=upload.size,
    )


def zip_expansion_problem(archive: zipfile.ZipFile, *, max_bytes: int, max_ratio: int) -> str:
    """Why ``archive`` would expand beyond bounds, judged from its directory without
    unpacking anything; "" when it is within them. Python's zipfile never unpacks a part
    beyond the size its directory states, so these are the sizes a reader will meet."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        return _("tệp nén có %(count)s thành phần, nhiều hơn mức cho phép %(limit)s.") % {
            "count": len(members),
            "limit": MAX_ZIP_MEMBERS,
        }
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        return _("khi giải nén, tệp lớn %(size)s, vượt giới hạn %(limit)s.") % {
            "size": filesizeformat(total),
            "limit": filesizeformat(max_bytes),
        }
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio:
            return _(
                "tệp nén với tỷ lệ bất thường (%(ratio)s lần, tối đa %(limit)s lần), "
                "dấu hiệu của một “bom giải nén”."
            ) % {"ratio": int(ratio), "limit": max_ratio}
    return ""


def expansion_problem(upload, content_type: str) -> str:
    """Why an upload of ``content_type`` is refused as too large once opened: an image
    with too many pixels (only its header is read), or an Office file (zip) that unpacks
    to too much; "" when it is within the limits of the settings."""
    upload.seek(0)
    try:
        if content_type in ZIP_TYPES:
            try:
                with zipfile.ZipFile(upload) as archive:
                    return zip_expansion_problem(
                        archive,
                        max_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_MB * MB,
                        max_ratio=settings.UPLOAD_MAX_COMPRESSION_RATIO,
                    )
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                return _("tệp bị hỏng hoặc chưa tải lên trọn vẹn.")
        if content_type.startswith("image/"):
            size = _image_size(upload, content_type)
            limit = settings.UPLOAD_MAX_IMAGE_MEGAPIXELS * MEGAPIXEL
            if size is None:
                return _("ảnh quá lớn, vượt giới hạn %(limit)s triệu điểm ảnh.") % {
                    "limit": settings.UPLOAD_MAX_IMAGE_MEGAPIXELS
                }
            width, height = size
            if width * height > limit:
                return _(
                    "ảnh %(width)s × %(height)s điểm ảnh, vượt giới hạn %(limit)s triệu điểm ảnh."
                ) % {
                    "width": width,
                    "height": height,
                    "limit": settings.UPLOAD_MAX_IMAGE_MEGAPIXELS,
                }
        return ""
    finally:
        upload.seek(0)


def _image_size(upload, content_type: str) -> tuple[int, int] | None:
    """Width and height from the image's header, without decoding the pixels; (0, 0) when
    the header cannot be read (nothing can decode it then), None when Pillow itself
    refuses the size (above twice its MAX_IMAGE_PIXELS, about 179 million)."""
    if content_type == "image/heic":
        return _heif_size(upload.read(256 * 1024))
    with warnings.catch_warnings():
        # Pillow warns about large images, and refuses the largest: this check decides.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(upload) as image:
                return image.size
        except Image.DecompressionBombError:
            return None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
            return (0, 0)


def _heif_size(head: bytes) -> tuple[int, int]:
    """The largest size an HEIF/HEIC file declares in its "ispe" (image spatial extents)
    boxes; Pillow cannot read HEIC."""
    best = (0, 0)
    start = head.find(b"ispe")
    while start != -1:
        fields = head[start + 8 : start + 16]  # after the type, version and flags
        if len(fields) == 8:
            width, height = struct.unpack(">II", fields)
            if width * height > best[0] * best[1]:
                best = (width, height)
        start = head.find(b"ispe", start + 4)
    return best


def check_uploads(files, *, allowed: dict[str, str], max_bytes: int) -> list[CheckedUpload]:
    """Check every file before any is kept; one ValidationError on "files" lists every
    problem."""
    checked, problems = [], []
    for upload in files or ():
        try:
            checked.append(check_upload(upload, allowed=allowed, max_bytes=max_bytes))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"files": problems})
    return checked


def store_uploads(checked: list[CheckedUpload], *, model, uploaded_by, **attributes) -> list:
    """Save checked files as rows of ``model`` (a PrivateFile) with ``attributes`` (the
    parent it belongs to); the files go again if the transaction rolls back."""
    stored = []
    files = FilesOfTransaction(model._meta.get_field("file").storage)
    for item in checked:
        row = model(
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            uploaded_by=uploaded_by,
            **attributes,
        )
        row.file.name = files.save(
            row.file.field.generate_filename(row, item.stored_name), item.file
        )
        row.save()
        stored.append(row)
    return stored


def private_file_response(
    field_file, *, content_type: str, filename: str, inline: bool = False
) -> FileResponse:
    """A private file, for a view that has checked the user may have it."""
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=filename,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
