"""E-mail about evaluation rounds, sent after the change is committed."""

from django.urls import reverse

from danvan.mail import absolute_url, send_templated_mail
from evaluations.models import Assignment, ReminderSent


def reminder(reminder_id: int) -> int:
    """Remind one evaluator of the models they have not scored yet in one round."""
    sent = ReminderSent.objects.select_related("round", "evaluator").get(pk=reminder_id)
    pending = list(
        Assignment.objects.filter(
            evaluator_id=sent.evaluator_id, round_id=sent.round_id, scored_at=None
        )
        .select_related("inspection__registration__unit")
        .order_by("inspection__registration__sequence")
    )
    if not pending:
        return 0
    return send_templated_mail(
        to=[sent.evaluator.email],
        subject_template="evaluations/email/reminder_subject.txt",
        body_template="evaluations/email/reminder_body.txt",
        context={
            "round": sent.round,
            "evaluator": sent.evaluator,
            "pending": pending,
            "link": absolute_url(reverse("evaluations:home")),
            "score_links": [
                (a, absolute_url(reverse("evaluations:score", args=[a.pk]))) for a in pending
            ],
        },
    )
