"""Factories and helpers for inspection and evaluation tests.

Most tests build their world through the services (a rubric seeded, a round created and
opened, evaluators assigned) so that what they check is what users get; the factories
here make rows directly where a test needs many of them quickly.
"""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from evaluations import services
from evaluations.models import Assignment, Inspection, Round
from tests.factories import CampaignFactory, RegistrationFactory


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    campaign = factory.SubFactory(CampaignFactory, status="issued")
    organization = factory.SelfAttribute("campaign.organization")
    kind = Round.Kind.PERIODIC
    name = factory.Sequence(lambda n: f"Đợt kiểm tra số {n}")
    starts_on = factory.LazyAttribute(lambda o: date(o.campaign.year, 9, 1))
    ends_on = factory.LazyAttribute(lambda o: date(o.campaign.year, 9, 30))
    status = Round.Status.OPEN


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    round = factory.SubFactory(RoundFactory)
    registration = factory.SubFactory(
        RegistrationFactory,
        campaign=factory.SelfAttribute("..round.campaign"),
        status="accepted",
    )


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    inspection = factory.SubFactory(InspectionFactory)


def accepted(campaign, unit, **fields):
    """An accepted registration of ``unit``'s model in ``campaign``."""
    return RegistrationFactory(campaign=campaign, unit=unit, status="accepted", **fields)


def open_round(office, campaign, kind=Round.Kind.MID_YEAR, name=None) -> Round:
    """A round created (every accepted registration in scope) and opened, by the office."""
    round = services.round_create(
        actor=office,
        campaign=campaign,
        data={
            "kind": kind,
            "name": name or services.default_round_name(kind, campaign.year),
            "starts_on": date(campaign.year, 6, 16),
            "ends_on": date(campaign.year, 7, 11),
        },
    )
    return services.round_open(actor=office, round=round)


def inspection_of(round, registration) -> Inspection:
    return Inspection.objects.get(round=round, registration=registration)


def points(criteria, *values) -> dict:
    """Points by criterion id: the values given in order, the rest full marks."""
    given = [Decimal(str(value)) for value in values]
    return {
        criterion.pk: given[index] if index < len(given) else criterion.max_points
        for index, criterion in enumerate(criteria)
    }


def points_totalling(criteria, total) -> dict:
    """Points adding up to ``total`` on the default rubric (filled criterion by criterion)."""
    left = Decimal(str(total))
    result = {}
    for criterion in criteria:
        given = min(left, criterion.max_points)
        result[criterion.pk] = given
        left -= given
    return result


def score(assignment, values: dict, **extra) -> Assignment:
    return services.scores_save(
        actor=assignment.evaluator, assignment=assignment, points=values, **extra
    )


def form_data(criteria, values: dict, **extra) -> dict:
    """The score form's POST data for points given by criterion id."""
    data = {f"points_{pk}": str(value) for pk, value in values.items()}
    data.update({f"comment_{c.pk}": "" for c in criteria})
    data.update(extra)
    return data


def scored(round, registration, evaluator, total_hundredths: int) -> Inspection:
    """The model inspected in ``round``, scored by ``evaluator``, its results kept."""
    inspection = Inspection.objects.create(round=round, registration=registration)
    Assignment.objects.create(
        inspection=inspection,
        evaluator=evaluator,
        total_hundredths=total_hundredths,
        scored_at=timezone.now(),
    )
    Inspection.objects.filter(pk=inspection.pk).refresh_results()
    return inspection
