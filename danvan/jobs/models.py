from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def job_result_path(instance, filename: str) -> str:
    return f"jobs/{instance.organization_id}/{instance.pk}/{filename}"


class Job(models.Model):
    """Long work a user asked for (a large export, all certificates of a decision, a large
    document), run by a background task; its progress, and its file once ready.

    The file is private: only the user who asked may download it (``danvan.jobs.views``).
    Written only by ``danvan.jobs.services``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không thành công")

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", editable=False
    )
    kind = models.CharField(_("loại"), max_length=60)
    title = models.CharField(_("công việc"), max_length=300)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.QUEUED,
        db_default=Status.QUEUED,
    )
    done = models.PositiveIntegerField(_("đã làm"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    result = models.FileField(_("kết quả"), upload_to=job_result_path, blank=True, max_length=300)
    result_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    result_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), db_default=Now())
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = pgettext_lazy("plural", "công việc chạy nền")
        indexes = [models.Index(fields=["owner", "organization", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == Job.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (Job.Status.DONE, Job.Status.FAILED)
