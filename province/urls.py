from django.urls import path

from province import views
from province.models import Proposal

app_name = "province"

S = Proposal.Status

urlpatterns = [
    path("", views.rollup, name="rollup"),
    path("export/", views.rollup_export, name="rollup_export"),
    path("communes/<int:pk>/", views.commune, name="commune"),
    path("proposals/", views.queue, name="queue"),
    path("sent/", views.sent, name="sent"),
    path("send/<int:escalation_pk>/", views.proposal_send, name="send"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/return/", views.proposal_move, {"to": S.RETURNED}, name="return"),
    path("proposals/<int:pk>/accept/", views.proposal_move, {"to": S.ACCEPTED}, name="accept"),
    path("proposals/<int:pk>/reject/", views.proposal_move, {"to": S.REJECTED}, name="reject"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="decide"),
    path("proposals/<int:pk>/resend/", views.proposal_resend, name="resend"),
    path("proposals/<int:pk>/submission/", views.dossier_submission, name="submission"),
    path("proposals/<int:pk>/report.<fileformat:fmt>", views.dossier_report, name="report"),
    path(
        "proposals/<int:pk>/minutes/<int:meeting_pk>.<fileformat:fmt>",
        views.dossier_minutes,
        name="minutes",
    ),
    path(
        "proposals/<int:pk>/minutes/<int:meeting_pk>/<fileformat:fmt>/job/",
        views.dossier_minutes_job,
        name="minutes_job",
    ),
]
