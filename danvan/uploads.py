"""Checking uploaded files: the type is read from the content, not trusted from the name."""

import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
    stored = f"{uuid.uuid4().hex}.{extension}"
    return CheckedUpload(
        file=upload,
        original_name=original,
        stored_name=stored,
        content_type=detected.mime,
        size=upload.size,
    )


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
