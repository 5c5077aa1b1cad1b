import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.accounts import selectors, services
from danvan.accounts.models import Membership, Organization, Unit, User
from danvan.accounts.selectors import SIGNING_ROLES
from danvan.accounts.tables import UNIT_COLUMNS, USER_COLUMNS
from danvan.admin_site import OrganizationScopedAdmin, ScopedInlineMixin
from danvan.excel import XLSX_CONTENT_TYPE, ExcelFormatError, Row, read_table, write_table
from danvan.forms import PortalForm, PortalFormMixin, PortalModelForm

IMPORT_SESSION_PREFIX = "excel-import-"


class ImportUploadForm(PortalForm):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    send_invitations = forms.BooleanField(
        label=_("Gửi e-mail mời đặt mật khẩu cho người dùng mới"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("Tệp lớn quá 5 MB."))
        return upload


class ExcelImportExportMixin:
    """Adds "Nhập từ Excel" (preview, then all-or-nothing import) and "Xuất Excel"."""

    change_list_template = "admin/excel_change_list.html"
    excel_columns: tuple = ()
    excel_title = ""
    excel_with_invitations = False

    def excel_rows(self, organization):  # pragma: no cover - each admin defines it
        raise NotImplementedError

    def excel_import(self, request, rows, *, dry_run, send_invitations):  # pragma: no cover
        raise NotImplementedError

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def _organization_or_refuse(self, request):
        if request.organization is None:
            messages.error(request, gettext("Hãy chọn tổ chức đang làm việc trước."))
            return None
        return request.organization

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        organization = self._organization_or_refuse(request)
        if organization is None:
            return HttpResponseRedirect("../")
        with translation.override("vi"):
            content = write_table(
                self.excel_columns, self.excel_rows(organization), title=str(self.excel_title)
            )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        filename = (
            f"{self.model._meta.model_name}-{organization.code}-{timezone.localdate():%Y%m%d}.xlsx"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        organization = self._organization_or_refuse(request)
        if organization is None:
            return HttpResponseRedirect("../")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Nhập %(name)s từ Excel")
            % {"name": self.model._meta.verbose_name_plural},
            "organization": organization,
            "columns": self.excel_columns,
            "with_invitations": self.excel_with_invitations,
        }
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and request.POST.get("step") == "confirm":
            token = request.POST.get("token", "")
            stored = request.session.get(IMPORT_SESSION_PREFIX + token)
            if not stored or stored.get("model") != self.model._meta.label:
                messages.error(request, gettext("Phiên nhập đã hết hạn; hãy tải tệp lên lại."))
                return HttpResponseRedirect(request.path)
            rows = [Row(number=n, values=v) for n, v in stored["rows"]]
            report = self.excel_import(
                request, rows, dry_run=False, send_invitations=stored.get("send_invitations", False)
            )
            if report.applied:
                del request.session[IMPORT_SESSION_PREFIX + token]
                messages.success(
                    request,
                    gettext(
                        "Đã nhập: %(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi."
                    )
                    % {
                        "created": len(report.created),
                        "updated": len(report.updated),
                        "unchanged": len(report.unchanged),
                    },
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"
                    )
                )
            context.update(form=ImportUploadForm(), report=report)
        elif request.method == "POST" and form.is_valid():
            try:
                rows = read_table(form.cleaned_data["file"], self.excel_columns)
            except ExcelFormatError as error:
                form.add_error("file", str(error))
            else:
                send_invitations = form.cleaned_data.get("send_invitations", False)
                report = self.excel_import(request, rows, dry_run=True, send_invitations=False)
                token = ""
                if report.ok:
                    token = secrets.token_urlsafe(16)
                    request.session[IMPORT_SESSION_PREFIX + token] = {
                        "model": self.model._meta.label,
                        "rows": [[row.number, row.values] for row in rows],
                        "send_invitations": send_invitations,
                    }
                context.update(report=report, token=token, row_count=len(rows))
        context["form"] = context.get("form", form)
        return TemplateResponse(request, "admin/excel_import.html", context)


class UnitInline(ScopedInlineMixin, admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name", "short_name", "kind", "is_active"]
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    organization_path = "pk"
    list_display = ["name", "kind", "province", "symbol", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["name", "short_name", "code", "province"]
    prepopulated_fields = {"code": ["place_name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "code", "kind", "province", "is_active"]}),
        (
            _("Thể thức văn bản"),
            {"fields": ["header_parent", "header_name", "symbol", "place_name"]},
        ),
        (_("Liên hệ"), {"fields": ["email", "phone", "address"]}),
        (_("Thi đua, khen thưởng"), {"fields": ["council_pass_percent", "honour_board_public"]}),
    ]
    inlines = [UnitInline]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk=getattr(request.organization, "pk", None))

    def _in_scope(self, request, obj):
        return (
            obj is None
            or request.user.is_superuser
            or (request.organization is not None and obj.pk == request.organization.pk)
        )

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["code", "kind", "province", "is_active"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    def get_inlines(self, request, obj):
        return self.inlines if request.user.is_superuser else []


@admin.action(description=_("Ngừng hoạt động các đơn vị đã chọn"))
def deactivate_units(modeladmin, request, queryset):
    _set_units_active(modeladmin, request, queryset, active=False)


@admin.action(description=_("Cho hoạt động lại các đơn vị đã chọn"))
def activate_units(modeladmin, request, queryset):
    _set_units_active(modeladmin, request, queryset, active=True)


def _set_units_active(modeladmin, request, queryset, *, active):
    by_organization = {}
    for unit in queryset.select_related("organization"):
        by_organization.setdefault(unit.organization, []).append(unit)
    changed = sum(
        services.units_set_active(
            actor=request.user, organization=organization, units=units, active=active
        )
        for organization, units in by_organization.items()
    )
    modeladmin.message_user(request, gettext("Đã cập nhật %(count)s đơn vị.") % {"count": changed})


@admin.register(Unit)
class UnitAdmin(ExcelImportExportMixin, OrganizationScopedAdmin):
    list_display = ["name", "short_name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    actions = [deactivate_units, activate_units]
    show_facets = admin.ShowFacets.ALWAYS
    excel_columns = UNIT_COLUMNS
    excel_title = _("Danh sách đơn vị")

    def get_readonly_fields(self, request, obj=None):
        # Whether a unit is active changes through the actions, which audit it.
        return ["is_active"] if obj is not None else []

    def excel_rows(self, organization):
        return selectors.units_export_rows(organization=organization)

    def excel_import(self, request, rows, *, dry_run, send_invitations):
        return services.units_import(
            actor=request.user, organization=request.organization, rows=rows, dry_run=dry_run
        )


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.request.user.is_superuser:
            return
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            role = form.cleaned_data.get("role")
            original = form.instance.role if form.instance.pk else None
            touches_signer = role in SIGNING_ROLES or original in SIGNING_ROLES
            if touches_signer and (form.has_changed() or form.cleaned_data.get("DELETE")):
                raise ValidationError(
                    gettext("Chỉ quản trị hệ thống mới gán hoặc bỏ vai trò Chủ tịch, Phó Chủ tịch.")
                )


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    fields = ["organization", "role", "unit"]
    autocomplete_fields = ["unit"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organization", "unit")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization=request.organization)

    def get_min_num(self, request, obj=None, **kwargs):
        # Office staff must give a new person a role here, or they could not see them again.
        return 0 if request.user.is_superuser else 1


class PortalUserChangeForm(PortalFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class PortalUserCreationForm(PortalFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "email", "phone", "position_title"]


@admin.register(User)
class UserAdmin(ExcelImportExportMixin, OrganizationScopedAdmin, DjangoUserAdmin):
    organization_path = "memberships__organization"
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = ["username", "full_name", "position_title", "email", "phone", "is_active"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["username", "full_name", "email", "phone"]
    ordering = ["full_name", "username"]
    filter_horizontal = []
    inlines = [MembershipInline]
    readonly_fields = ["last_login", "date_joined"]
    excel_columns = USER_COLUMNS
    excel_title = _("Danh sách người dùng")
    excel_with_invitations = True
    audit_name = "user"

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": [
                            "username",
                            "full_name",
                            "email",
                            "phone",
                            "position_title",
                            "usable_password",
                            "password1",
                            "password2",
                        ]
                    },
                )
            ]
        status = ["is_active", "last_login", "date_joined"]
        if request.user.is_superuser:
            status.insert(1, "is_superuser")
        return [
            (None, {"fields": ["username", "password"]}),
            (_("Thông tin cá nhân"), {"fields": ["full_name", "email", "phone", "position_title"]}),
            (_("Trạng thái"), {"fields": status}),
        ]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        if request.organization is None:
            return queryset.none()
        return queryset.filter(
            pk__in=Membership.objects.filter(organization=request.organization).values("user_id")
        )

    def _in_scope(self, request, obj):
        if obj is None or request.user.is_superuser:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        # A superuser, or someone who also works for another commune, is not this office's to edit.
        return not obj.is_superuser and not (
            Membership.objects.filter(user=obj).exclude(organization=request.organization).exists()
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def _organization_of(self, obj):
        return None  # each membership names its own organisation

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        selectors.forget_memberships(form.instance)

    def excel_rows(self, organization):
        return selectors.users_export_rows(organization=organization)

    def excel_import(self, request, rows, *, dry_run, send_invitations):
        return services.users_import(
            actor=request.user,
            organization=request.organization,
            rows=rows,
            dry_run=dry_run,
            send_invitations=send_invitations,
        )


class MembershipAdminForm(PortalModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organization", "role", "unit"]

    def clean(self):
        cleaned = super().clean()
        touched = {cleaned.get("role"), self.initial.get("role")}
        if not self.request.user.is_superuser and touched & SIGNING_ROLES:
            raise ValidationError(
                gettext("Chỉ quản trị hệ thống mới gán hoặc bỏ vai trò Chủ tịch, Phó Chủ tịch.")
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedAdmin):
    form = MembershipAdminForm
    list_display = ["user", "role", "unit", "organization"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit", "organization"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        selectors.forget_memberships(obj.user)

    def delete_model(self, request, obj):
        if not request.user.is_superuser and obj.role in SIGNING_ROLES:
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if not request.user.is_superuser and queryset.filter(role__in=SIGNING_ROLES).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)
