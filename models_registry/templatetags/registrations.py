from django import template
from django.utils.translation import gettext_lazy as _

from models_registry.models import Registration

register = template.Library()

EVENT_LABELS = {
    "create": _("Tạo bản nháp"),
    "report": _("Báo cáo tiến độ"),
    **dict(Registration.Status.choices),
}


@register.filter
def registration_action(action: str) -> str:
    """The label of a timeline event: a status reached, or what was done."""
    return str(EVENT_LABELS.get(action, action))
