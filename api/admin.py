from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from api import services
from api.models import ApiToken
from api.rules import may_manage_tokens
from danvan.admin_site import OrganizationScopedAdmin, run_for_each


@admin.register(ApiToken)
class ApiTokenAdmin(OrganizationScopedAdmin):
    """Tokens are issued here (the plain token is shown once, on the page after "Save")
    and revoked with the list's action; they are never edited nor deleted, so that the
    audit trail keeps who used which."""

    view_rule = may_manage_tokens
    edit_rule = may_manage_tokens
    list_display = ["name", "organization", "hint", "rate_per_minute", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "hint"]
    fields = ["organization", "name", "rate_per_minute"]
    readonly_fields_on_change = [
        "organization",
        "name",
        "hint",
        "rate_per_minute",
        "created_by",
        "created_at",
        "revoked_at",
        "revoked_by",
    ]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return self.readonly_fields_on_change if obj is not None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields_on_change if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # Listed and shown, never edited: a token's name and rate are fixed when issued.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["help_text"] = _(
                "Mã đọc dữ liệu của tổ chức này. Mã của một tỉnh đọc dữ liệu của tỉnh và của "
                "mọi xã, phường, đặc khu đang trực thuộc tỉnh (kể cả các năm trước)."
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        token, plain = services.token_issue(
            actor=request.user,
            organization=form.cleaned_data["organization"],
            name=form.cleaned_data["name"],
            rate_per_minute=form.cleaned_data["rate_per_minute"],
        )
        obj.pk = token.pk
        obj.digest, obj.hint, obj.created_by = token.digest, token.hint, token.created_by
        request.issued_token = plain

    def response_add(self, request, obj, post_url_continue=None):
        """The one time the plain token is shown: on this page, never stored."""
        return TemplateResponse(
            request,
            "admin/api/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "token": obj,
                "plain": request.issued_token,
                "title": _("Mã truy cập API đã được cấp"),
            },
        )

    @admin.action(description=_("Thu hồi các mã đã chọn"))
    def revoke(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda token: services.token_revoke(actor=request.user, token=token),
            _("Đã thu hồi %(count)s mã."),
        )
