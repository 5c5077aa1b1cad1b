"""Back office of the level above: superusers say which communes are under which
province, and when; the proposals are read here and handled in the portal."""

from django.contrib import admin

from danvan.accounts.models import Organization
from danvan.admin_site import SafeActionsAdmin
from danvan.forms import PortalModelForm
from province import services
from province.models import CommuneMembership, Proposal


class CommuneMembershipForm(PortalModelForm):
    class Meta:
        model = CommuneMembership
        fields = [
            "province",
            "commune",
            "valid_from",
            "valid_to",
            "name_then",
            "merged_into",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Organization.objects.filter(
            kind=Organization.Kind.PROVINCE
        )
        self.fields["commune"].queryset = Organization.objects.exclude(
            kind=Organization.Kind.PROVINCE
        )


class SuperuserOnlyAdmin(SafeActionsAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # a period ends (valid to), it is not erased


@admin.register(CommuneMembership)
class CommuneMembershipAdmin(SuperuserOnlyAdmin):
    form = CommuneMembershipForm
    list_display = ["commune", "province", "valid_from", "valid_to", "name_then", "merged_into"]
    list_filter = ["province"]
    search_fields = ["commune__name", "name_then"]
    list_select_related = ["commune", "province", "merged_into"]
    date_hierarchy = "valid_from"

    def save_model(self, request, obj, form, change):
        services.membership_save(actor=request.user, membership=obj)


@admin.register(Proposal)
class ProposalAdmin(SuperuserOnlyAdmin):
    list_display = ["nomination", "commune", "organization", "status", "sent_at", "decision_number"]
    list_filter = ["status", "organization"]
    list_select_related = [
        "nomination__unit",
        "nomination__registration",
        "commune",
        "organization",
    ]
    readonly_fields = [
        "organization",
        "commune",
        "nomination",
        "escalation",
        "cover_note",
        "submission_name",
        "status",
        "status_reason",
        "decision_number",
        "decision_date",
        "sent_at",
    ]
    exclude = ["submission"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
