from datetime import date

import pytest
import time_machine

from campaigns.models import Campaign
from tests.factories import CampaignFactory, RegistrationFactory


@pytest.fixture
def campaign(org):
    """An issued 2025 campaign whose registration window is 05/02–31/03/2025."""
    return CampaignFactory(organization=org, year=2025, status=Campaign.Status.ISSUED)


@pytest.fixture
def registration(campaign, unit, unit_officer):
    return RegistrationFactory(campaign=campaign, unit=unit, name="Mô hình dịch vụ công trực tuyến")


@pytest.fixture
def during_registration():
    with time_machine.travel(date(2025, 3, 19), tick=False):
        yield


@pytest.fixture
def after_deadline():
    with time_machine.travel(date(2025, 4, 10), tick=False):
        yield
