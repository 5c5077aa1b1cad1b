from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Tổng hợp, báo cáo")

    def ready(self):
        from danvan import panels, worklist
        from reports import documents  # noqa: F401 - registers the report's draft builder
        from reports.panels import campaign_reports_panel
        from reports.worklist import report_tasks

        panels.register("campaign_detail", campaign_reports_panel)
        worklist.register(report_tasks)
