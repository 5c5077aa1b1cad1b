from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    name = "models_registry"
    verbose_name = _("Đăng ký mô hình")

    def ready(self):
        from danvan import panels
        from models_registry import signals  # noqa: F401 - connects the receivers
        from models_registry.panels import campaign_late_request_panel, campaign_models_panel

        panels.register("campaign_detail", campaign_models_panel)
        panels.register("campaign_detail", campaign_late_request_panel)
