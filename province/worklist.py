"""The province's lines of the home page's work list (``danvan.worklist``)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.accounts.rules import is_office
from danvan.worklist import Task
from province.models import Proposal
from province.rules import is_province_office


def province_tasks(*, user, organization, today) -> list[Task]:
    """A province's office: the communes' proposals waiting for it. A commune's office:
    its proposals the province returned for completion. One query each."""
    tasks = []
    if is_province_office.test(user, organization):
        waiting = Proposal.objects.filter(
            organization=organization, status=Proposal.Status.SENT
        ).count()
        tasks.append(
            Task(
                "proposals_to_review",
                _("Đề nghị khen thưởng của xã, phường chờ tỉnh xem xét"),
                f"{reverse('province:queue')}?{urlencode({'status': Proposal.Status.SENT})}",
                waiting,
            )
        )
    if is_office.test(user, organization):
        returned = Proposal.objects.filter(
            commune=organization, status=Proposal.Status.RETURNED
        ).count()
        tasks.append(
            Task(
                "proposals_returned",
                _("Đề nghị lên tỉnh bị trả lại, cần bổ sung"),
                reverse("province:sent"),
                returned,
            )
        )
    return tasks
