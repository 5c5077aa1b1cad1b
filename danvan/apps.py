from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class DanvanConfig(AppConfig):
    """The project package itself: shared template tags, formats and commands."""

    name = "danvan"
    verbose_name = _("Dân vận khéo")


class PortalAdminConfig(AdminConfig):
    default_site = "danvan.admin_site.PortalAdminSite"


class SignInLockoutConfig(AxesConfig):
    """django-axes, named in the back office as its users know it."""

    verbose_name = _("Đăng nhập sai, tạm khóa")


class BackgroundJobsConfig(TasksAppConfig):
    """django-tasks-db, named in the back office as its users know it."""

    verbose_name = _("Việc chạy nền")
