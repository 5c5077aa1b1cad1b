from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Kiểm tra, đánh giá")

    def ready(self):
        from danvan import panels
        from evaluations.panels import registration_results_panel

        panels.register("registration_detail", registration_results_panel)
