import pytest

from campaigns.models import Campaign
from tests.factories import CampaignFactory, MeetingFactory, NominationFactory


@pytest.fixture
def campaign(org):
    """The 2024 campaign; nominations close on 10/12/2024."""
    return CampaignFactory(organization=org, year=2024, status=Campaign.Status.ISSUED)


@pytest.fixture
def meeting(campaign):
    return MeetingFactory(campaign=campaign)


@pytest.fixture
def passed(campaign, unit, other_unit):
    """Two nominations the council passed: a collective and a person."""
    collective = NominationFactory(campaign=campaign, unit=unit, status="passed")
    person = NominationFactory(
        campaign=campaign,
        unit=other_unit,
        kind="individual",
        person_name="Nguyễn Thị Hồng",
        status="passed",
    )
    return [collective, person]
