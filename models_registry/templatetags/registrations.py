from django import template
from django.utils.translation import gettext_lazy as _

from models_registry.models import Registration

register = template.Library()

EVENT_LABELS = {
    "create": _("Tạo bản nháp"),
    "report": _("Báo cáo tiến độ"),
    "launch": _("Ra mắt mô hình"),
    "level": _("Ghi cấp công nhận"),
    **dict(Registration.Status.choices),
}


@register.filter
def registration_action(action: str) -> str:
    """The label of a timeline event: a status reached, or what was done."""
    return str(EVENT_LABELS.get(action, action))


@register.filter
def added_answers(registration) -> list[tuple[str, str]]:
    """The answers to the questions the campaign's form added, as (label, text), for a
    registration's line in a list (its campaign's form prefetched)."""
    from models_registry.questions import answer_text, extra_questions

    pairs = []
    for question in extra_questions(registration.campaign):
        text = answer_text(registration, question)
        if question.shown and text:
            pairs.append((question.label, text if len(text) <= 120 else text[:119] + "…"))
    return pairs
