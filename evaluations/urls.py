from django.urls import path

import danvan.converters  # noqa: F401 - registers <fileformat:…>
from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<int:campaign_pk>/rubric/", views.rubric, name="rubric"),
    path("campaigns/<int:campaign_pk>/rounds/new/", views.round_create, name="round_create"),
    path("campaigns/<int:campaign_pk>/results/", views.results, name="results"),
    path("campaigns/<int:campaign_pk>/recognition/", views.recognition, name="recognition"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path(
        "rounds/<int:pk>/self-assessments/",
        views.round_self_assessments,
        name="round_self_assessments",
    ),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/scope/", views.round_scope_sync, name="round_scope_sync"),
    path("rounds/<int:pk>/assign/", views.round_assign, name="round_assign"),
    path("rounds/<int:pk>/assign/one/", views.assign_one, name="assign_one"),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path("rounds/<int:pk>/export/background/", views.round_export_job, name="round_export_job"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/remove/", views.inspection_remove, name="inspection_remove"),
    path("inspections/<int:pk>/self/", views.self_assessment, name="self_assessment"),
    path("inspections/<int:pk>/minutes.<fileformat:fmt>", views.minutes, name="minutes"),
    path("self-files/<int:file_pk>/", views.self_file, name="self_file"),
    path("assignments/<int:pk>/score/", views.score, name="score"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
]
