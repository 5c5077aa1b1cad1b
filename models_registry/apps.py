from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    name = "models_registry"
    verbose_name = _("Đăng ký mô hình")

    def ready(self):
        from models_registry import signals  # noqa: F401 - connects the receivers
