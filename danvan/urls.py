from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from danvan import views
from inbox import views as inbox_views

urlpatterns = [
    path("", inbox_views.home, name="home"),
    path("directory/", include("inbox.urls")),
    path("healthz", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("accounts/", include("danvan.accounts.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("documents/", include("danvan.documents.urls")),
    path("jobs/", include("danvan.jobs.urls")),
    path("registrations/", include("models_registry.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("awards/", include("awards.urls")),
    path("honours/", include("awards.public_urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("province/", include("province.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]
