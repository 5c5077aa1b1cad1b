from danvan.accounts.second_factor import must_complete_sign_in, redirect_to_second_factor
from danvan.accounts.selectors import organizations_for, roles_in

SESSION_KEY = "current_organization_id"


def choose_organization(organizations, chosen_id):
    """The organisation chosen in the session if the user may still work in it, else the first."""
    for organization in organizations:
        if organization.pk == chosen_id:
            return organization
    return organizations[0] if organizations else None


class CurrentOrganizationMiddleware:
    """Sets ``request.organizations`` (where the user may work), ``request.organization``
    (where they work now) and ``request.roles`` (their roles there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organizations = []
        request.organization = None
        request.roles = frozenset()
        if request.user.is_authenticated:
            request.organizations = organizations_for(request.user)
            request.organization = choose_organization(
                request.organizations, request.session.get(SESSION_KEY)
            )
            if request.organization is not None:
                request.roles = roles_in(request.user, request.organization.pk)
        return self.get_response(request)


class SecondFactorMiddleware:
    """With ``REQUIRE_2FA`` on, someone who must use a second factor and has only typed
    their password reaches nothing but the code page (or the enrolment page, the first
    time), logging out and pages open to everyone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "second_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages (login_not_required) stay public
        if must_complete_sign_in(request):
            return redirect_to_second_factor(request)
        return None
