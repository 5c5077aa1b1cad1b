from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    EVALUATOR_ASSIGNED = "evaluator_assigned", _("Được phân công chấm điểm")
    ROUND_OPENED = "round_opened", _("Đợt kiểm tra mở (cho thành viên đoàn kiểm tra)")
    UNIT_ROUND_OPENED = "unit_round_opened", _("Đợt kiểm tra mô hình của đơn vị mở")
    PLAN_FOR_SIGNATURE = "plan_for_signature", _("Kế hoạch trình ký")
    REPORT_FOR_SIGNATURE = "report_for_signature", _("Báo cáo sơ kết, tổng kết trình ký")
    NOMINATIONS_PASSED = "nominations_passed", _("Hội đồng thông qua đề nghị khen thưởng")
    LATE_REQUESTED = "late_requested", _("Đơn vị đề nghị gia hạn đăng ký mô hình")
    LATE_DECIDED = "late_decided", _("Văn phòng trả lời đề nghị gia hạn đăng ký")
    PROPOSAL_RECEIVED = "proposal_received", _("Xã, phường gửi (gửi lại) đề nghị lên cấp tỉnh")
    PROPOSAL_ANSWERED = (
        "proposal_answered",
        _("Cấp tỉnh trả lại, tiếp nhận, không khen thưởng hoặc quyết định khen thưởng"),
    )
    REGISTRATION_MOVED = (
        "registration_moved",
        _("Mô hình đăng ký được gửi, trả lại, chấp nhận, công nhận hoặc rút"),
    )
    REGISTRATION_COMMENT = "registration_comment", _("Trao đổi về mô hình đăng ký")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Gửi e-mail ngay")
    DAILY = "daily", _("Gộp vào e-mail tổng hợp hằng ngày")
    NEVER = "never", _("Không gửi e-mail")


class Notification(models.Model):
    """One thing one person is told about, in the portal and (by their preference) by
    e-mail. ``event_key`` names the event: a person is told once about one event, however
    often the code that tells them runs. ``mailed_at`` is set when an e-mail (immediate
    or the day's digest) claims the notification, so no notification is mailed twice."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tổ chức"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    kind = models.CharField(_("loại thông báo"), max_length=30, choices=Kind.choices)
    event_key = models.CharField(max_length=120, editable=False)
    # The values the message is written with (see ``notifications.messages``), so that it
    # reads in the language of whoever reads it.
    params = models.JSONField(default=dict, blank=True, editable=False)
    url = models.CharField(_("liên kết"), max_length=300)
    created_at = models.DateTimeField(_("lúc"), db_default=Now(), editable=False)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True, editable=False)
    mailed_at = models.DateTimeField(_("đã gửi e-mail lúc"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("plural", "thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "organization", "-created_at"]),
            models.Index(
                fields=["recipient", "organization"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient", "kind"],
                condition=models.Q(mailed_at__isnull=True),
                name="notification_unmailed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.get_kind_display()}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """How a person wants to be e-mailed about one kind of notification (without a row:
    immediately)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("người dùng"),
    )
    kind = models.CharField(_("loại thông báo"), max_length=30, choices=Kind.choices)
    frequency = models.CharField(
        _("gửi e-mail"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = pgettext_lazy("plural", "cách nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}: {self.get_frequency_display()}"


class DigestSent(models.Model):
    """The day's digest sent to one person: a second run on the same day sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("người nhận"),
    )
    sent_on = models.DateField(_("ngày gửi"))
    items = models.PositiveIntegerField(_("số thông báo"))
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["-sent_on"]
        verbose_name = _("e-mail tổng hợp đã gửi")
        verbose_name_plural = pgettext_lazy("plural", "e-mail tổng hợp đã gửi")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.sent_on:%d/%m/%Y}"
