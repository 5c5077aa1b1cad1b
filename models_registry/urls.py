from django.urls import path

from danvan.converters import register_choices
from models_registry import views
from models_registry.models import Registration

register_choices("status", Registration.Status.values)

app_name = "models_registry"

urlpatterns = [
    path("", views.registration_list, name="list"),
    path("export.xlsx", views.registration_export, name="export"),
    path("export/background/", views.registration_export_job, name="export_job"),
    path("new/", views.registration_create, name="create"),
    path("<int:pk>/", views.registration_detail, name="detail"),
    path("<int:pk>/edit/", views.registration_edit, name="edit"),
    path("<int:pk>/to/<status:to>/", views.registration_transition, name="transition"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("<int:pk>/comments/", views.comment_create, name="comment"),
    path("<int:pk>/launch/", views.registration_launch, name="launch"),
    path("<int:pk>/level/", views.registration_level, name="level"),
    path("<int:pk>/form.<fileformat:fmt>", views.registration_document, name="document"),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("campaigns/<int:campaign_pk>/late/", views.late_exceptions, name="late"),
    path("campaigns/<int:campaign_pk>/late/request/", views.late_request, name="late_request"),
    path(
        "late-requests/<int:request_pk>/grant/",
        views.late_request_grant,
        name="late_request_grant",
    ),
    path(
        "late-requests/<int:request_pk>/refuse/",
        views.late_request_refuse,
        name="late_request_refuse",
    ),
    path("campaigns/<int:campaign_pk>/form/", views.registration_form_config, name="form_config"),
    path("campaigns/<int:campaign_pk>/continue/", views.registration_continue, name="continue"),
]
