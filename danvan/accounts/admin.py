import copy
import secrets
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BLANK_CHOICE_DASH, Count, Exists, OuterRef
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts import selectors, services
from danvan.accounts.forms import AdminSetPasswordForm
from danvan.accounts.models import IssuingBody, Membership, Organization, Unit, UnitGroup, User
from danvan.accounts.rules import may_assign_role, may_manage_account
from danvan.accounts.selectors import SIGNING_ROLES
from danvan.accounts.tables import UNIT_COLUMNS, USER_COLUMNS
from danvan.admin_site import OrganizationScopedAdmin, ScopedInlineMixin, run_for_each
from danvan.excel import XLSX_CONTENT_TYPE, ExcelFormatError, Row, read_table, write_table
from danvan.forms import (
    FingerprintedFormMixin,
    PortalForm,
    PortalFormMixin,
    PortalModelForm,
    fingerprint_field,
)

IMPORT_SESSION_PREFIX = "excel-import-"
SIGNER_ROLE_REFUSAL = _("Chỉ quản trị hệ thống mới gán hoặc bỏ vai trò Chủ tịch, Phó Chủ tịch.")
ACCOUNT_REFUSAL = _(
    "Chỉ quản trị hệ thống mới thay đổi được tài khoản của Chủ tịch, Phó Chủ tịch "
    "hoặc của người có vai trò ở tổ chức khác."
)

# Devices are managed through the portal's pages and the reset action, never edited here.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


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
            {
                "fields": [
                    "header_parent",
                    "header_name",
                    "symbol",
                    "place_name",
                    "office_name",
                    "finance_office_name",
                    "numbering",
                    "numbers_from_register",
                ]
            },
        ),
        (_("Liên hệ"), {"fields": ["email", "phone", "address"]}),
        (_("Thi đua, khen thưởng"), {"fields": ["council_pass_percent", "honour_board_public"]}),
        (_("Chữ ký số"), {"fields": ["signer_signs_pdf", "public_verification"]}),
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


@admin.register(IssuingBody)
class IssuingBodyAdmin(OrganizationScopedAdmin):
    """The bodies besides the People's Committee that launch campaigns in their own name
    and layout. "Thêm" with ``?kind=party`` or ``?kind=front`` starts from the lines the
    cited texts give (see docs/issuing-bodies.md)."""

    list_display = ["short_name", "kind", "symbol", "layout", "head_name", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["organization"]
    fieldsets = [
        (None, {"fields": ["organization", "kind", "name", "short_name", "is_active"]}),
        (
            _("Tiêu đề và số văn bản"),
            {"fields": ["header_parent", "header_name", "symbol", "layout", "term_start_year"]},
        ),
        (
            _("Người ký"),
            {
                "fields": [
                    "collective_line",
                    "head_title",
                    "deputy_title",
                    "deputy_signs_for_head",
                    "head_name",
                ]
            },
        ),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        kind = request.GET.get("kind")
        if kind in IssuingBody.Kind.values and request.organization is not None:
            initial.update(IssuingBody.defaults_for(kind, request.organization))
        return initial

    def has_delete_permission(self, request, obj=None):
        in_use = obj is not None and (obj.campaigns.exists() or obj.documents.exists())
        return super().has_delete_permission(request, obj) and not in_use


@admin.register(UnitGroup)
class UnitGroupAdmin(OrganizationScopedAdmin):
    """Groups of units (for example the residential areas of each former ward), which
    lists and statistics can gather. Deleting a group leaves its units ungrouped."""

    list_display = ["name", "position", "unit_count"]
    list_editable = ["position"]
    list_select_related = ["organization"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_total=Count("units"))

    @admin.display(description=_("số đơn vị"), ordering="unit_total")
    def unit_count(self, obj):
        return obj.unit_total


class UnitAdminForm(FingerprintedFormMixin, PortalModelForm):
    fingerprint = fingerprint_field()

    class Meta:
        model = Unit
        fields = "__all__"


@admin.register(Unit)
class UnitAdmin(ExcelImportExportMixin, OrganizationScopedAdmin):
    form = UnitAdminForm
    list_display = ["name", "short_name", "kind", "group", "is_active"]
    list_filter = ["kind", "group", "is_active"]
    list_select_related = ["group"]
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


def _secure_new_signer(request, user: User) -> None:
    """Close an account that has just been given a signer's role to whoever held it
    before (``services.signer_account_secure``), and tell the superuser what to do next.
    A superuser giving themself the role keeps their own account."""
    if user.pk == request.user.pk:
        return
    services.signer_account_secure(actor=request.user, user=user)
    messages.warning(
        request,
        gettext(
            "Tài khoản “%(user)s” vừa nhận vai trò Chủ tịch, Phó Chủ tịch: mật khẩu cũ, e-mail "
            "cũ (%(email)s) và xác thực hai bước đã bị hủy, mọi phiên đăng nhập đã kết thúc, "
            "để không ai khác nắm tài khoản người ký. Hãy nhập e-mail của chính người ký, đặt "
            "mật khẩu ban đầu (Đổi mật khẩu) và trao tận tay người ký."
        )
        % {"user": user.get_username(), "email": user.email or "—"},
    )


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        actor = self.request.user
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if not (form.has_changed() or form.cleaned_data.get("DELETE")):
                continue
            role = form.cleaned_data.get("role")
            original = form.instance.role if form.instance.pk else None
            if not (may_assign_role(actor, role) and may_assign_role(actor, original)):
                raise ValidationError(SIGNER_ROLE_REFUSAL)


def _role_field(model_admin, db_field, request, kwargs):
    """The role drop-down offers an office its own organisation's roles (a commune's, or
    a province's); a superuser, who may act for any, every role (checked on saving)."""
    if db_field.name == "role" and not request.user.is_superuser:
        kwargs["choices"] = [*BLANK_CHOICE_DASH, *Membership.role_choices_for(request.organization)]
    return admin.ModelAdmin.formfield_for_choice_field(model_admin, db_field, request, **kwargs)


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

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        return _role_field(self, db_field, request, kwargs)

    def get_min_num(self, request, obj=None, **kwargs):
        # Office staff must give a new person a role here, or they could not see them again.
        return 0 if request.user.is_superuser else 1

    # A person's roles change only with their account (``may_manage_account``).
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_manage(request, obj)


def _may_manage(request, user) -> bool:
    return user is None or may_manage_account(request.user, user)


@admin.action(description=_("Xóa xác thực hai bước (mất điện thoại)"))
def reset_second_factor(modeladmin, request, queryset):
    if request.POST.get("confirm") != "yes":
        # As Django's own deletion: a page naming whom it concerns, then a second press.
        return TemplateResponse(
            request,
            "admin/accounts/user/reset_second_factor.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": gettext("Xóa xác thực hai bước?"),
                "people": list(queryset.order_by("full_name", "username")),
                "opts": modeladmin.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda user: services.second_factor_reset(actor=request.user, user=user),
        gettext(
            "Đã xóa xác thực hai bước của %(count)s người dùng; họ sẽ thiết lập lại "
            "khi đăng nhập lần sau."
        ),
    )
    return None


class PortalUserChangeForm(FingerprintedFormMixin, PortalFormMixin, UserChangeForm):
    fingerprint = fingerprint_field()

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean_username(self):
        # As the add form and the import do: "Phominh.Xem" is the name "phominh.xem".
        username = self.cleaned_data.get("username")
        if (
            username
            and User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists()
        ):
            raise self.instance.unique_error_message(User, ["username"])
        return username

    def clean_is_active(self):
        active = self.cleaned_data.get("is_active")
        request = getattr(self, "request", None)
        if not active and request is not None and self.instance.pk == request.user.pk:
            raise ValidationError(
                _(
                    "Bạn không tự ngừng hoạt động tài khoản của mình được: sẽ không đăng nhập "
                    "lại được nữa. Hãy nhờ người khác của Văn phòng hoặc quản trị hệ thống."
                )
            )
        return active


class PortalUserCreationForm(PortalFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "email", "phone", "position_title"]


@admin.register(User)
class UserAdmin(ExcelImportExportMixin, OrganizationScopedAdmin, DjangoUserAdmin):
    organization_path = "memberships__organization"
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = [
        "username",
        "full_name",
        "position_title",
        "email",
        "phone",
        "is_active",
        "second_factor",
    ]
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
    change_password_form = AdminSetPasswordForm
    actions = [reset_second_factor]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request  # a class made for this request
        return form

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
            (None, {"fields": ["username", "password", "fingerprint"]}),
            (_("Thông tin cá nhân"), {"fields": ["full_name", "email", "phone", "position_title"]}),
            (_("Chữ ký số"), {"fields": ["certificate_identity"]}),
            (_("Trạng thái"), {"fields": status}),
        ]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request).annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        if request.user.is_superuser:
            return queryset
        if request.organization is None:
            return queryset.none()
        return queryset.filter(
            pk__in=Membership.objects.filter(organization=request.organization).values("user_id")
        )

    @admin.display(description=_("xác thực hai bước"), boolean=True)
    def second_factor(self, obj):
        return obj.has_second_factor

    def _in_scope(self, request, obj):
        if obj is None or request.user.is_superuser:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        # The signers, superusers and people of other communes are not the office's to
        # edit: their password, e-mail, name, active flag and roles (``may_manage_account``).
        return super().has_change_permission(request, obj) and _may_manage(request, obj)

    def get_actions(self, request, action_location=admin.options.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not request.user.is_superuser:
            actions.pop("reset_second_factor", None)
        return actions

    def user_change_password(self, request, id, form_url=""):
        # Django builds this page's form from ``change_password_form``; give it this
        # request's actor (on a copy, so concurrent requests never share one).
        view = copy.copy(self)
        view.change_password_form = partial(AdminSetPasswordForm, actor=request.user)
        return DjangoUserAdmin.user_change_password(view, request, id, form_url)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def _organization_of(self, obj):
        return None  # each membership names its own organisation

    def save_formset(self, request, form, formset, change):
        # A person added here has the password the superuser just typed; one who already
        # had an account is secured when given a signer's role.
        was_signer = not change or services.holds_signing_role(form.instance)
        super().save_formset(request, form, formset, change)
        selectors.forget_memberships(form.instance)
        if not was_signer and services.holds_signing_role(form.instance):
            _secure_new_signer(request, form.instance)

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
        actor = self.request.user
        if not all(
            may_assign_role(actor, role) for role in (cleaned.get("role"), self.initial.get("role"))
        ):
            raise ValidationError(SIGNER_ROLE_REFUSAL)
        people = [cleaned.get("user"), self.instance.user if self.instance.user_id else None]
        if not all(may_manage_account(actor, person) for person in people if person is not None):
            raise ValidationError(ACCOUNT_REFUSAL)
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

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        return _role_field(self, db_field, request, kwargs)

    def save_model(self, request, obj, form, change):
        was_signer = services.holds_signing_role(obj.user)
        super().save_model(request, obj, form, change)
        selectors.forget_memberships(obj.user)
        if not was_signer and obj.role in SIGNING_ROLES:
            _secure_new_signer(request, obj.user)

    # A membership is part of its person's account (``may_manage_account``): read-only,
    # and not deletable, for someone who may not manage that account. Django's bulk
    # delete asks ``has_delete_permission`` for every selected row before it acts.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or may_manage_account(request.user, obj.user)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or may_manage_account(request.user, obj.user)
        )
