from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinceConfig(AppConfig):
    name = "province"
    verbose_name = _("Cấp tỉnh")

    def ready(self):
        from awards.rules import register_level_above
        from danvan import panels, worklist
        from province import exports  # noqa: F401 - registers the background BC builder
        from province.panels import nomination_proposal_panel
        from province.rules import answers_for_escalation
        from province.worklist import province_tasks

        panels.register("nomination_detail", nomination_proposal_panel)
        register_level_above(answers_for_escalation)
        worklist.register(province_tasks)
