from django.urls import path

from awards import views
from danvan.converters import register_choices

register_choices("awarddoc", ["minutes", "submission"])

app_name = "awards"

urlpatterns = [
    path("", views.awards_home, name="home"),
    path("campaigns/<int:pk>/", views.campaign_awards, name="campaign"),
    path("campaigns/<int:campaign_pk>/nominate/", views.nomination_create, name="nominate"),
    path("campaigns/<int:campaign_pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/escalate/", views.nomination_escalate, name="nomination_escalate"),
    path(
        "nominations/<int:pk>/report.<fileformat:fmt>",
        views.nomination_report,
        name="nomination_report",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/<awarddoc:document>.<fileformat:fmt>",
        views.meeting_document,
        name="meeting_document",
    ),
    path(
        "meetings/<int:pk>/<awarddoc:document>.<fileformat:fmt>/background/",
        views.meeting_document_job,
        name="meeting_document_job",
    ),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/replace/", views.decision_replace, name="decision_replace"),
    path("decisions/<int:pk>.<fileformat:fmt>", views.decision_download, name="decision_download"),
    path(
        "decisions/<int:pk>/certificates/",
        views.decision_certificates,
        name="decision_certificates",
    ),
    path("awards/<int:pk>/revoke/", views.award_revoke, name="revoke"),
    path("awards/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/outcome/", views.escalation_outcome, name="escalation_outcome"),
    path("honours/", views.honour_board, name="honours"),
]
