"""The events of the domain apps that people are told about (see each app's signals.py).

Each receiver runs inside the transaction of the event and records its notifications
with ``services.notify``; their e-mails go after the commit."""

from collections import Counter

from django.dispatch import receiver
from django.urls import reverse

from awards.signals import nominations_passed
from campaigns.signals import plan_sent_for_signature
from danvan.accounts.models import Membership
from evaluations.models import Assignment
from evaluations.signals import evaluators_assigned, round_opened
from models_registry.signals import (
    comment_posted,
    late_request_decided,
    late_requested,
    registration_moved,
)
from notifications.models import Kind
from notifications.services import notify

Role = Membership.Role


def _signers(organization_id: int) -> list[int]:
    return list(
        Membership.objects.filter(
            organization_id=organization_id,
            role__in=[Role.CHAIRMAN, Role.VICE_CHAIRMAN],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


@receiver(evaluators_assigned, dispatch_uid="notifications.evaluators_assigned")
def tell_evaluators_assigned(sender, *, round, assignments, **kwargs):
    """Each evaluator, once per assignment batch: how many models, in which round."""
    per_evaluator = Counter(a.evaluator_id for a in assignments)
    first = {}
    for assignment in assignments:
        first.setdefault(assignment.evaluator_id, assignment.pk)
    for evaluator_id, count in per_evaluator.items():
        notify(
            organization=round.organization,
            recipients=[evaluator_id],
            kind=Kind.EVALUATOR_ASSIGNED,
            event_key=f"assigned:{round.pk}:{first[evaluator_id]}",
            url=reverse("evaluations:round", args=[round.pk]),
            params={"round": round.name, "count": count},
        )


@receiver(round_opened, dispatch_uid="notifications.round_opened")
def tell_round_opened(sender, *, round, **kwargs):
    """The round's evaluators, and the officers of the units whose models it scores."""
    ends_on = f"{round.ends_on:%d/%m/%Y}"
    evaluators = Assignment.objects.filter(round=round).values_list("evaluator_id", flat=True)
    notify(
        organization=round.organization,
        recipients=set(evaluators),
        kind=Kind.ROUND_OPENED,
        event_key=f"round_opened:{round.pk}",
        url=reverse("evaluations:round", args=[round.pk]),
        params={"round": round.name, "ends_on": ends_on},
    )
    officers = (
        Membership.objects.filter(
            role=Role.UNIT_OFFICER,
            user__is_active=True,
            unit__registrations__inspections__round=round,
        )
        .values_list("user_id", "unit__registrations__inspections__pk", "unit__registrations__name")
        .order_by("user_id", "unit__registrations__inspections__pk")
    )
    for user_id, inspection_id, model in officers:
        notify(
            organization=round.organization,
            recipients=[user_id],
            kind=Kind.UNIT_ROUND_OPENED,
            event_key=f"unit_round_opened:{inspection_id}",
            url=reverse("evaluations:self_assessment", args=[inspection_id]),
            params={"round": round.name, "model": model, "ends_on": ends_on},
        )


@receiver(plan_sent_for_signature, dispatch_uid="notifications.plan_sent_for_signature")
def tell_signers_of_plan(sender, *, campaign, **kwargs):
    notify(
        organization=campaign.organization,
        recipients=_signers(campaign.organization_id),
        kind=Kind.PLAN_FOR_SIGNATURE,
        event_key=f"plan_for_signature:{campaign.pk}:{campaign.version}",
        url=reverse("campaigns:detail", args=[campaign.pk]),
        params={"campaign": campaign.name},
    )


@receiver(nominations_passed, dispatch_uid="notifications.nominations_passed")
def tell_signers_of_passed_nominations(sender, *, meeting, nominations, **kwargs):
    ids = sorted(n.pk for n in nominations)
    notify(
        organization=meeting.organization,
        recipients=_signers(meeting.organization_id),
        kind=Kind.NOMINATIONS_PASSED,
        event_key=f"nominations_passed:{meeting.pk}:{ids[-1]}:{len(ids)}",
        url=reverse("admin:awards_nomination_desk"),
        params={"count": len(ids), "held_on": f"{meeting.held_on:%d/%m/%Y}"},
    )


@receiver(late_requested, dispatch_uid="notifications.late_requested")
def tell_office_of_late_request(sender, *, late_request, **kwargs):
    """The organisation's office staff: a unit asks for more time to register."""
    office = Membership.objects.filter(
        organization_id=late_request.organization_id, role=Role.OFFICE, user__is_active=True
    ).values_list("user_id", flat=True)
    notify(
        organization=late_request.organization,
        recipients=set(office),
        kind=Kind.LATE_REQUESTED,
        event_key=f"late_requested:{late_request.pk}",
        url=reverse("models_registry:late", args=[late_request.campaign_id]),
        params={
            "unit": late_request.unit.name,
            "campaign": late_request.campaign.name,
            "wished_until": f"{late_request.wished_until:%d/%m/%Y}",
        },
    )


@receiver(late_request_decided, dispatch_uid="notifications.late_request_decided")
def tell_officer_of_late_decision(sender, *, late_request, **kwargs):
    """The unit's officers (the one who asked among them, if they still are): granted
    until which day, or refused and why."""
    granted = late_request.status == late_request.Status.GRANTED
    officers = Membership.objects.filter(
        organization_id=late_request.organization_id,
        unit_id=late_request.unit_id,
        role=Role.UNIT_OFFICER,
        user__is_active=True,
    ).values_list("user_id", flat=True)
    notify(
        organization=late_request.organization,
        recipients=set(officers),
        kind=Kind.LATE_DECIDED,
        event_key=f"late_decided:{late_request.pk}",
        url=reverse("models_registry:late_request", args=[late_request.campaign_id])
        + f"?unit={late_request.unit_id}",
        params={
            "unit": late_request.unit.name,
            "campaign": late_request.campaign.name,
            "granted": granted,
            "until": f"{late_request.granted_until:%d/%m/%Y}" if granted else "",
            "reason": late_request.refusal_reason,
        },
    )


# A registration's news goes to the side that did not act: the office hears that a unit
# sent or withdrew a model; the unit's officers hear the office's answers.
TO_OFFICE = {"submitted", "withdrawn"}


def _registration_audience(registration, *, from_unit: bool, actor) -> set[int]:
    if from_unit:
        people = Membership.objects.filter(
            organization_id=registration.organization_id, role=Role.OFFICE
        )
    else:
        people = Membership.objects.filter(
            organization_id=registration.organization_id,
            unit_id=registration.unit_id,
            role=Role.UNIT_OFFICER,
        )
    ids = set(people.filter(user__is_active=True).values_list("user_id", flat=True))
    return ids - {getattr(actor, "pk", None)}


def _registration_params(registration) -> dict:
    return {"name": registration.name, "code": registration.code, "unit": registration.unit.name}


@receiver(registration_moved, dispatch_uid="notifications.registration_moved")
def tell_of_registration_move(sender, *, registration, actor, **kwargs):
    """Sent, withdrawn: the office. Returned (with the reason), accepted, refused,
    recognised…: the unit's officers. The one who made the move is not told."""
    notify(
        organization=registration.organization,
        recipients=_registration_audience(
            registration, from_unit=registration.status in TO_OFFICE, actor=actor
        ),
        kind=Kind.REGISTRATION_MOVED,
        # Each move raises the registration's version: one event per move.
        event_key=f"registration_moved:{registration.pk}:{registration.version}",
        url=reverse("models_registry:detail", args=[registration.pk]),
        params={
            **_registration_params(registration),
            "to": registration.status,
            "reason": registration.status_reason,
        },
    )


@receiver(comment_posted, dispatch_uid="notifications.comment_posted")
def tell_of_comment(sender, *, comment, **kwargs):
    """A message from the unit: the office; from the office: the unit's officers."""
    from danvan.accounts.selectors import unit_ids_in

    registration = comment.registration
    from_unit = registration.unit_id in unit_ids_in(
        comment.author, registration.organization_id, Role.UNIT_OFFICER
    )
    body = comment.body if len(comment.body) <= 500 else comment.body[:499] + "…"
    notify(
        organization=registration.organization,
        recipients=_registration_audience(registration, from_unit=from_unit, actor=comment.author),
        kind=Kind.REGISTRATION_COMMENT,
        event_key=f"registration_comment:{comment.pk}",
        url=reverse("models_registry:detail", args=[registration.pk]) + "#timeline",
        params={
            **_registration_params(registration),
            "author": comment.author.full_name,
            "body": body,
        },
    )
