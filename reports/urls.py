from django.urls import path

from danvan.converters import register_choices
from reports import views

register_choices("reportkind", ["mid_year", "year_end"])

app_name = "reports"

urlpatterns = [
    path("campaigns/<int:pk>/progress/", views.progress, name="progress"),
    path("campaigns/<int:pk>/review/<reportkind:kind>/", views.report_start, name="start"),
    path("review/<int:pk>/", views.report_edit, name="report"),
    path("review/<int:pk>/send/", views.report_send_for_signature, name="send_for_signature"),
    path("review/<int:pk>/issue/", views.report_issue, name="issue"),
    path("review/<int:pk>/report.<fileformat:fmt>", views.report_download, name="download"),
]
