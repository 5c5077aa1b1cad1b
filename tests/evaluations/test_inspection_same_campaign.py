"""A round inspects only its own campaign's models: the database refuses anything else,
whatever writes the row (migration evaluations 0007)."""

import pytest
from django.db import IntegrityError, transaction

from evaluations.models import Inspection
from tests.evaluations.factories import InspectionFactory, RoundFactory
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection():
    return InspectionFactory()


@pytest.fixture
def other_campaign(inspection):
    return CampaignFactory(organization=inspection.round.organization, year=2025)


def _refused(write):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write()
    assert "inspection_same_campaign" in str(refused.value)


def test_an_inspection_of_its_rounds_campaign_is_kept(inspection):
    again = RegistrationFactory(
        campaign=inspection.round.campaign, unit=inspection.registration.unit
    )
    Inspection.objects.create(round=inspection.round, registration=again)
    assert inspection.round.inspections.count() == 2


def test_a_registration_of_another_campaign_cannot_be_inspected_by_the_round(
    inspection, other_campaign
):
    elsewhere = RegistrationFactory(campaign=other_campaign, unit=inspection.registration.unit)
    _refused(lambda: Inspection.objects.create(round=inspection.round, registration=elsewhere))
    _refused(
        lambda: Inspection.objects.bulk_create(
            [Inspection(round=inspection.round, registration=elsewhere)]
        )
    )
    _refused(lambda: Inspection.objects.filter(pk=inspection.pk).update(registration=elsewhere))
    assert list(Inspection.objects.values_list("registration_id", flat=True)) == [
        inspection.registration_id
    ]


def test_an_inspected_registration_keeps_its_campaign(inspection, other_campaign):
    registration = inspection.registration
    _refused(
        lambda: (
            type(registration).objects.filter(pk=registration.pk).update(campaign=other_campaign)
        )
    )
    registration.refresh_from_db()
    assert registration.campaign_id == inspection.round.campaign_id

    # One that no round inspects may move.
    free = RegistrationFactory(campaign=inspection.round.campaign)
    type(free).objects.filter(pk=free.pk).update(campaign=other_campaign)
    free.refresh_from_db()
    assert free.campaign == other_campaign


def test_a_round_with_inspections_keeps_its_campaign(inspection, other_campaign):
    round = inspection.round
    _refused(lambda: type(round).objects.filter(pk=round.pk).update(campaign=other_campaign))
    round.refresh_from_db()
    assert round.campaign_id == inspection.registration.campaign_id

    empty = RoundFactory(campaign=round.campaign)
    type(empty).objects.filter(pk=empty.pk).update(campaign=other_campaign)
    empty.refresh_from_db()
    assert empty.campaign == other_campaign
