"""Who may see and act on registrations.

Unit officers see their own unit's registrations in every state; office staff see every
registration of the organisation that has been submitted at least once, and act for the
units that have no officer of their own (``acts_for_unit``); the chairman,
vice-chairmen, evaluators and viewers see accepted models and what followed. Status
moves and who may make them are in ``services.WORKFLOW``.
"""

import rules

from danvan.accounts.rules import acts_for_unit, has_role, is_office, is_officer_of_unit
from models_registry.models import Registration

Status = Registration.Status
VISIBLE_TO_OFFICE = frozenset(set(Status.values) - {Status.DRAFT})
VISIBLE_TO_ALL = frozenset(
    {Status.ACCEPTED, Status.RECOGNISED, Status.NOT_RECOGNISED, Status.REPLICATED}
)
EVIDENCE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED, Status.ACCEPTED, Status.RECOGNISED})
REPORT_STATUSES = frozenset({Status.ACCEPTED, Status.RECOGNISED, Status.REPLICATED})
# The figures of the reports and of the province's roll-up: a model counts as registered
# once sent, whatever happened next (a withdrawal included); as accepted once the office
# accepted it (recognised or not later); as recognised once recognised (replicated too).
REGISTERED = VISIBLE_TO_OFFICE
ACCEPTED = frozenset({Status.ACCEPTED, Status.RECOGNISED, Status.NOT_RECOGNISED, Status.REPLICATED})
RECOGNISED = frozenset({Status.RECOGNISED, Status.REPLICATED})

is_reader = has_role("chairman", "vice_chairman", "evaluator", "viewer")


def _status_in(statuses, name: str) -> rules.Predicate:
    def check(user, registration) -> bool:
        return registration is not None and registration.status in statuses

    return rules.Predicate(check, name=name)


is_past_draft = _status_in(VISIBLE_TO_OFFICE, "is_past_draft")
is_established = _status_in(VISIBLE_TO_ALL, "is_established")
takes_evidence = _status_in(EVIDENCE_STATUSES, "takes_evidence")
takes_reports = _status_in(REPORT_STATUSES, "takes_reports")
is_established_or_accepted = _status_in(REPORT_STATUSES, "is_established_or_accepted")
is_recognised = _status_in(frozenset({Status.RECOGNISED, Status.REPLICATED}), "is_recognised")


@rules.predicate
def is_editable(user, registration) -> bool:
    return registration is not None and registration.is_editable


# The office sees what was submitted, and everything of the units it enters papers for.
can_view = acts_for_unit | (is_office & is_past_draft) | (is_reader & is_established)

rules.add_perm("models_registry.view_registration", can_view)
rules.add_perm("models_registry.change_registration", acts_for_unit & is_editable)
rules.add_perm("models_registry.review_registration", is_office & is_past_draft)
rules.add_perm(
    "models_registry.comment_registration", is_officer_of_unit | (is_office & is_past_draft)
)
rules.add_perm("models_registry.view_evidence", can_view)
rules.add_perm("models_registry.attach_evidence", acts_for_unit & takes_evidence)
rules.add_perm("models_registry.report_progress", acts_for_unit & takes_reports)
# On a campaign (or the organisation).
rules.add_perm("models_registry.grant_late_exception", is_office)
# Unit officers ask for more time for their own units (services.late_request_create).
rules.add_perm("models_registry.request_late", has_role("unit_officer"))
rules.add_perm("models_registry.configure_form", is_office)
rules.add_perm(
    "models_registry.record_launch", (acts_for_unit | is_office) & is_established_or_accepted
)
rules.add_perm("models_registry.set_level", is_office & is_recognised)
rules.add_perm("models_registry.continue_models", is_office)
