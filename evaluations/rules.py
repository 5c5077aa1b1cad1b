"""Who may see and do what in inspection and evaluation.

Office staff run everything in their organisation. Evaluators see and score what they
are assigned, never a model of their own unit. A model's lead unit self-assesses while a
round is open and sees its results once the round has closed. The chairman,
vice-chairmen and viewers read the results of closed rounds.
"""

import rules

from danvan.accounts.rules import (
    is_evaluator,
    is_member,
    is_office,
    is_officer_of_unit,
    is_reader,
    is_signer,
)
from danvan.accounts.selectors import unit_ids_in
from evaluations.models import Assignment, Inspection, Round


def _round_of(obj) -> Round | None:
    if isinstance(obj, Round):
        return obj
    if isinstance(obj, Inspection):
        return obj.round
    if isinstance(obj, Assignment):
        return obj.inspection.round
    return None


@rules.predicate
def is_open(user, obj) -> bool:
    round = _round_of(obj)
    return round is not None and round.status == Round.Status.OPEN


@rules.predicate
def is_closed(user, obj) -> bool:
    round = _round_of(obj)
    return round is not None and round.status == Round.Status.CLOSED


@rules.predicate
def is_assigned(user, obj) -> bool:
    """The user is on the inspection team of the round, model or assignment."""
    if isinstance(obj, Assignment):
        return obj.evaluator_id == user.pk
    if isinstance(obj, Inspection):
        return Assignment.objects.filter(inspection=obj, evaluator_id=user.pk).exists()
    if isinstance(obj, Round):
        return Assignment.objects.filter(round=obj, evaluator_id=user.pk).exists()
    return False


@rules.predicate
def is_lead_unit_officer(user, obj) -> bool:
    """An officer of the unit leading the inspected model."""
    inspection = obj.inspection if isinstance(obj, Assignment) else obj
    if not isinstance(inspection, Inspection):
        return False
    return is_officer_of_unit.test(user, inspection.registration)


@rules.predicate
def has_conflict(user, obj) -> bool:
    """The model is led by one of the user's units (any role): they may not score it."""
    inspection = obj.inspection if isinstance(obj, Assignment) else obj
    registration = inspection.registration
    return registration.unit_id in unit_ids_in(user, registration.organization_id)


# The menu entry (on the organisation).
rules.add_perm("evaluations.use_evaluations", is_office | is_evaluator | is_signer)
# Campaign-level pages (the object is the campaign).
rules.add_perm("evaluations.manage_campaign", is_office)
rules.add_perm("evaluations.view_campaign_results", is_office | is_reader)
rules.add_perm("evaluations.view_rubric", is_member)

# Rounds.
rules.add_perm("evaluations.manage_round", is_office)
rules.add_perm(
    "evaluations.view_round", is_office | (is_evaluator & is_assigned) | (is_reader & is_closed)
)
rules.add_perm("evaluations.view_round_results", is_office | (is_reader & is_closed))

# One model in one round.
can_view_inspection = (
    is_office | (is_evaluator & is_assigned) | is_lead_unit_officer | (is_reader & is_closed)
)
rules.add_perm("evaluations.view_inspection", can_view_inspection)
rules.add_perm(
    "evaluations.view_all_scores",
    is_office | (is_closed & ((is_evaluator & is_assigned) | is_lead_unit_officer | is_reader)),
)
rules.add_perm("evaluations.self_assess", is_lead_unit_officer & is_open)
rules.add_perm(
    "evaluations.view_self_assessment",
    is_office | (is_evaluator & is_assigned) | is_lead_unit_officer | (is_reader & is_closed),
)
# The minutes print every evaluator's points: like those, only once the round has closed,
# except for the office.
rules.add_perm(
    "evaluations.view_minutes",
    is_office | (is_closed & ((is_evaluator & is_assigned) | is_lead_unit_officer | is_reader)),
)

# One evaluator's scores for one model.
rules.add_perm("evaluations.score", is_evaluator & is_assigned & is_open & ~has_conflict)
