from django.urls import path

from danvan.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
