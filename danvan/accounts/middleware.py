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
