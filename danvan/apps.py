from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class DanvanConfig(AppConfig):
    """The project package itself: shared template tags, formats and commands."""

    name = "danvan"
    verbose_name = _("Dân vận khéo")


class PortalAdminConfig(AdminConfig):
    default_site = "danvan.admin_site.PortalAdminSite"
