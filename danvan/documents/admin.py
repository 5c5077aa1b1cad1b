from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from danvan.admin_site import OrganizationScopedAdmin
from danvan.documents.models import DocumentSignature, IssuedDocument
from danvan.forms import PortalModelForm


class DocumentSignatureInline(admin.TabularInline):
    model = DocumentSignature
    form = PortalModelForm
    fields = ["label", "signer_name", "signed_by", "signed_at"]
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


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(OrganizationScopedAdmin):
    """Read-only: documents are issued by services and never change afterwards.

    The files are not linked: nothing serves MEDIA_ROOT; the features' views hand them out.
    """

    list_display = ["number_symbol", "subject", "issued_at", "issued_by"]
    list_filter = ["kind", "year"]
    search_fields = ["subject"]
    date_hierarchy = "issued_at"
    list_select_related = ["issued_by"]
    readonly_fields = [
        "organization",
        "kind",
        "year",
        "number",
        "symbol",
        "subject",
        "issued_at",
        "issued_by",
        "docx_sha256",
        "pdf_sha256",
        "content_type",
        "object_id",
        "created_at",
    ]
    fields = readonly_fields
    inlines = [DocumentSignatureInline]

    @admin.display(description=_("số, ký hiệu"), ordering="number")
    def number_symbol(self, obj: IssuedDocument) -> str:
        return obj.number_symbol

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
