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
]


def navigation_for(request) -> list[NavItem]:
    roles = request.roles
    items = []
    for label, url_name, allowed in MENU:
        if allowed is not None and not (roles & allowed):
            continue
        url = reverse(url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append(NavItem(label=label, url=url, active=active))
    return items


def can_use_back_office(request) -> bool:
    return request.user.is_superuser or bool(request.roles & BACK_OFFICE_ROLES)
