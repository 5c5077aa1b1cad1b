from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import errors, views


class IdConverter:
    """An id the database can hold (a bigint); a longer number names nothing (404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class FormatConverter:
    regex = "pdf|docx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return value


register_converter(IdConverter, "api_id")
register_converter(FormatConverter, "api_fmt")

app_name = "api"


def public(view):
    # The API authenticates each request by its token, not by the portal's session.
    return login_not_required(view.as_view() if hasattr(view, "as_view") else view)


v1 = [
    path("organizations/", public(views.OrganizationList), name="organizations"),
    path("organizations/<api_id:pk>/", public(views.OrganizationDetail), name="organization"),
    path("campaigns/", public(views.CampaignList), name="campaigns"),
    path("campaigns/<api_id:pk>/", public(views.CampaignDetail), name="campaign"),
    path(
        "campaigns/<api_id:pk>/plan.<api_fmt:fmt>",
        public(views.CampaignPlanFile),
        name="campaign_plan_file",
    ),
    path("registrations/", public(views.RegistrationList), name="registrations"),
    path("registrations/<api_id:pk>/", public(views.RegistrationDetail), name="registration"),
    path("rounds/", public(views.RoundList), name="rounds"),
    path("rounds/<api_id:pk>/", public(views.RoundDetail), name="round"),
    path("rounds/<api_id:pk>/results/", public(views.RoundResults), name="round_results"),
    path("nominations/", public(views.NominationList), name="nominations"),
    path("nominations/<api_id:pk>/", public(views.NominationDetail), name="nomination"),
    path("decisions/", public(views.DecisionList), name="decisions"),
    path("decisions/<api_id:pk>/", public(views.DecisionDetail), name="decision"),
    path(
        "decisions/<api_id:pk>/document.<api_fmt:fmt>",
        public(views.DecisionFile),
        name="decision_file",
    ),
    path("awards/", public(views.AwardList), name="awards"),
    path("awards/<api_id:pk>/", public(views.AwardDetail), name="award"),
    path(
        "schema/",
        login_not_required(SpectacularAPIView.as_view(api_version="v1")),
        name="schema",
    ),
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/swagger_ui.html"
            )
        ),
        name="docs",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    # Whatever else (newlines included) under /api/: a JSON 404, never the portal's page.
    re_path(r"^[\s\S]*$", login_not_required(errors.not_found)),
]
