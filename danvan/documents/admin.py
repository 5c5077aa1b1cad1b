from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts.rules import is_office
from danvan.admin_site import OrganizationScopedAdmin, run_for_each
from danvan.documents import services
from danvan.documents.models import Citation, DocumentSignature, IssuedDocument
from danvan.forms import PortalModelForm


class DocumentSignatureInline(admin.TabularInline):
    model = DocumentSignature
    form = PortalModelForm
    fields = [
        "role",
        "label",
        "signer_name",
        "signed_by",
        "signed_at",
        "in_pdf",
        "certificate_subject",
        "certificate_issuer",
        "certificate_serial",
        "test_certificate",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        # Whoever may see the document (scoped by organisation) sees who signed it.
        parent = self.admin_site._registry[IssuedDocument]
        return parent.has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IntegrityFilter(admin.SimpleListFilter):
    title = gettext_lazy("tệp lưu trữ")
    parameter_name = "integrity"

    def lookups(self, request, model_admin):
        return [
            ("alarm", gettext_lazy("Không còn khớp SHA-256 (cảnh báo)")),
            ("ok", gettext_lazy("Khớp SHA-256")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "alarm":
            return queryset.filter(integrity_alarm_at__isnull=False)
        if self.value() == "ok":
            return queryset.filter(integrity_alarm_at__isnull=True)
        return queryset


@admin.action(
    description=gettext_lazy("Kiểm tra lại tệp đã khôi phục và gỡ cảnh báo"),
    permissions=["restore"],
)
def recheck_files(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset.filter(integrity_alarm_at__isnull=False),
        lambda document: services.document_integrity_clear(
            actor=request.user,
            document=document,
            note=gettext("Tệp đã được khôi phục, khớp SHA-256 đã ghi."),
        ),
        gettext("Đã gỡ cảnh báo của %(count)s văn bản: tệp khớp SHA-256 đã ghi."),
    )


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(OrganizationScopedAdmin):
    """Read-only: documents are issued by services and never change afterwards.

    The files are not linked: nothing serves MEDIA_ROOT; the features' views hand them out.
    A stored file found not to match its SHA-256 is flagged (``integrity_alarm_at``) and
    listed by the "tệp lưu trữ" filter; superusers clear the flag once it is restored.
    """

    list_display = [
        "number_symbol",
        "subject",
        "issued_at",
        "issued_by",
        "status",
        "integrity_ok",
        "replaces",
    ]
    list_filter = [IntegrityFilter, "status", "kind", "year"]
    actions = [recheck_files]
    search_fields = ["subject", "verification_code", "pdf_sha256"]
    date_hierarchy = "issued_at"
    list_select_related = ["issued_by", "replaces"]
    readonly_fields = [
        "organization",
        "kind",
        "year",
        "number",
        "symbol",
        "subject",
        "issued_at",
        "issued_by",
        "replaces",
        "status",
        "docx_sha256",
        "pdf_sha256",
        "verification_code",
        "integrity_alarm_at",
        "integrity_alarm",
        "content_type",
        "object_id",
        "created_at",
    ]
    fields = readonly_fields
    inlines = [DocumentSignatureInline]

    @admin.display(description=_("số, ký hiệu"), ordering="number")
    def number_symbol(self, obj: IssuedDocument) -> str:
        return obj.number_symbol

    @admin.display(description=_("tệp khớp SHA-256"), boolean=True)
    def integrity_ok(self, obj: IssuedDocument) -> bool:
        return obj.integrity_alarm_at is None

    def has_restore_permission(self, request) -> bool:
        """Clearing the alarm of a restored file: the province's IT officers."""
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Citation)
class CitationAdmin(OrganizationScopedAdmin):
    """The texts documents cite while they are in force. National ones (no organisation)
    are kept by superusers and shown to everyone; an organisation's office adds its own
    and ends them (“áp dụng đến hết ngày”) when they lapse."""

    list_display = [
        "text",
        "document_kind",
        "organization",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["document_kind"]
    search_fields = ["number", "title"]
    list_select_related = ["organization"]
    fields = [
        "organization",
        "document_kind",
        "position",
        "legal_kind",
        "number",
        "issued_on",
        "issuer",
        "title",
        "valid_from",
        "valid_to",
        "source",
    ]

    @admin.display(description=_("căn cứ"))
    def text(self, obj: Citation) -> str:
        return obj.text

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        organization = getattr(request.organization, "pk", None)
        return queryset.filter(Q(organization__isnull=True) | Q(organization=organization))

    def _in_scope(self, request, obj) -> bool:
        if obj is not None and obj.organization_id is None:
            return True  # national: everyone reads them
        return super()._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.organization_id is None:
            return request.user.is_superuser
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or (
            obj is not None
            and obj.organization_id is not None
            and is_office.test(request.user, obj.organization)
            and super().has_delete_permission(request, obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organization" and request.user.is_superuser:
            field.required = False  # a superuser keeps the national list
        return field
