"""Every error of the API has one shape::

    {"error": {"code": "not_found", "message": "…", "fields": {"status": ["…"]}}}

``code`` is stable (English, for programs); ``message`` is for people; ``fields`` comes
with validation errors (400) only.
"""

import logging

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger("django.request")

CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "token_invalid",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ValidationError: "invalid",
    exceptions.ParseError: "parse_error",
}


def _messages() -> dict:
    """The portal's own words for REST framework's errors (whose messages are English)."""
    return {
        "not_authenticated": _("Thiếu mã truy cập: gửi tiêu đề “Authorization: Bearer <mã>”."),
        "not_found": _("Không tìm thấy."),
        "method_not_allowed": _("API chỉ đọc dữ liệu: chỉ nhận yêu cầu GET."),
        "not_acceptable": _("API chỉ trả lời bằng JSON (và tệp văn bản)."),
        "permission_denied": _("Bạn không có quyền."),
        "unsupported_media_type": _("API chỉ đọc dữ liệu: không nhận nội dung gửi lên."),
        "parse_error": _("API chỉ đọc dữ liệu: không nhận nội dung gửi lên."),
    }


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flat(detail) -> dict:
    if isinstance(detail, dict):
        return {
            str(key): [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(item) for item in detail]}


def exception_handler(exc, context):
    """DRF's exception handler, answering in the shape above."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy."))
    if not isinstance(exc, exceptions.APIException):
        request = context.get("request")
        logger.error(
            "API error: %s", getattr(request, "path", ""), exc_info=exc, extra={"status_code": 500}
        )
        return Response(
            error_body("server_error", _("Lỗi máy chủ; xin thử lại sau.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("Tham số không hợp lệ."), _flat(exc.detail))
    elif isinstance(exc, exceptions.Throttled):
        body = error_body(
            "rate_limited",
            _("Mã truy cập đã dùng hết số yêu cầu của phút này; xin thử lại sau %(seconds)s giây.")
            % {"seconds": int(exc.wait or 0)},
        )
    else:
        code = exc.detail.code if hasattr(exc.detail, "code") else None
        default = next((c for kind, c in CODES.items() if isinstance(exc, kind)), "error")
        if code in (None, "error", exc.default_code):
            code = default
            message = _messages().get(code, str(exc.detail))
        else:
            message = str(exc.detail)
        body = error_body(code, message)
    return Response(body, status=exc.status_code, headers=headers)


def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint."""
    return JsonResponse(
        error_body("not_found", _("Không có địa chỉ này trong API.")),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
