"""The main menu. Each entry is shown to whoever passes its rule (see each app's rules)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts.rules import is_back_office


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, url name, permission on the current organisation; None means every member)
MENU = [
    (_("Trang chủ"), "home", None),
    (_("Phong trào"), "campaigns:list", None),
    (_("Mô hình"), "models_registry:list", None),
    (_("Kiểm tra, đánh giá"), "evaluations:home", "evaluations.use_evaluations"),
    (_("Khen thưởng"), "awards:home", "awards.use_awards"),
    (_("Vinh danh"), "awards:honours", None),
    (_("Danh bạ"), "inbox:directory", None),
    (_("Tổng hợp cấp tỉnh"), "province:rollup", "province.view_rollup"),
    (_("Đề nghị gửi tỉnh"), "province:sent", "province.send_proposal"),
]


def navigation_for(request) -> list[NavItem]:
    user, organization = request.user, request.organization
    entries = [
        (label, reverse(url_name))
        for label, url_name, perm in MENU
        if perm is None or user.has_perm(perm, organization)
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
    return is_back_office.test(request.user, request.organization)
