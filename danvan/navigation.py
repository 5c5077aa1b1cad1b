"""The main menu, by role. Each entry is shown only to the roles that can use it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts.selectors import BACK_OFFICE_ROLES


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, url name, roles that see it; None means every member)
MENU = [
    (_("Trang chủ"), "home", None),
    (_("Phong trào"), "campaigns:list", None),
    (_("Mô hình"), "models_registry:list", None),
    (
        _("Kiểm tra, đánh giá"),
        "evaluations:home",
        frozenset({"office", "evaluator", "chairman", "vice_chairman"}),
    ),
    (
        _("Khen thưởng"),
        "awards:home",
        frozenset({"office", "unit_officer", "chairman", "vice_chairman"}),
    ),
    (_("Vinh danh"), "awards:honours", None),
]


def navigation_for(request) -> list[NavItem]:
    roles = request.roles
    entries = [
        (label, reverse(url_name))
        for label, url_name, allowed in MENU
        if allowed is None or roles & allowed
    ]
    # The entry whose address is the longest prefix of the page's is the current one.
    matches = [
        url
        for _label, url in entries
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    return [NavItem(label=label, url=url, active=url == current) for label, url in entries]


def can_use_back_office(request) -> bool:
    return request.user.is_superuser or bool(request.roles & BACK_OFFICE_ROLES)
