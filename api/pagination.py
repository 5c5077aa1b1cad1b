"""Cursor pagination: stable pages however many rows are added meanwhile, and no count."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Newest first (by id); ``page_size`` from 1 to 200 (default 50); ``next`` and
    ``previous`` are the whole URLs of the neighbouring pages, null at either end. A
    cursor that was not given by the API names no page: 404 ``invalid_cursor``."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = _("Số mục mỗi trang, từ 1 đến 200 (mặc định 50).")
    cursor_query_description = _("Con trỏ trang, lấy từ “next” hoặc “previous”.")

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Hãy nhập một số nguyên từ 1 đến 200.")]}
            )
        return int(raw)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = False
        # The position is an id: anything else was not made by the API.
        if cursor is False or (
            cursor is not None
            and cursor.position is not None
            and not (cursor.position.isascii() and cursor.position.isdigit())
        ):
            raise NotFound(_("Con trỏ trang không hợp lệ."), code="invalid_cursor")
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"]["minLength"] = 1
        return parameters
