from django.core.exceptions import ValidationError

from danvan.audit.models import AuditEvent
from models_registry import services
from models_registry.models import Registration
from tests.concurrency import needs_postgres, run_together
from tests.factories import RegistrationFactory, member

pytestmark = needs_postgres
Status = Registration.Status


def test_two_office_users_accepting_and_returning_at_once_make_one_move(
    campaign, unit, office_user
):
    second_office = member(campaign.organization, "office")
    registration = RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)
    moves = [
        lambda: services.registration_transition(
            actor=office_user, registration=registration, to=Status.ACCEPTED
        ),
        lambda: services.registration_transition(
            actor=second_office, registration=registration, to=Status.RETURNED, reason="Bổ sung"
        ),
    ]

    results = run_together(lambda index: moves[index](), 2)

    winners = [result for result in results if isinstance(result, Registration)]
    losers = [result for result in results if isinstance(result, Exception)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert isinstance(losers[0], ValidationError)
    assert "vừa được người khác xử lý" in " ".join(losers[0].messages)
    final = Registration.objects.get(pk=registration.pk)
    assert final.status == winners[0].status
    assert (
        AuditEvent.objects.filter(
            object_id=str(registration.pk), action__startswith="registration."
        ).count()
        == 1
    )


def test_registrations_created_at_the_same_moment_get_distinct_codes(campaign, unit, unit_officer):
    from tests.models_registry.test_services import registration_data

    results = run_together(
        lambda index: services.registration_create(
            actor=unit_officer,
            campaign=campaign,
            unit=unit,
            data=registration_data(campaign, name=f"Mô hình {index}"),
        ),
        4,
    )

    assert not [result for result in results if isinstance(result, Exception)]
    codes = sorted(Registration.objects.values_list("code", flat=True))
    assert codes == ["DVK-2025-001", "DVK-2025-002", "DVK-2025-003", "DVK-2025-004"]


def test_registrations_of_two_campaigns_of_one_year_at_once_get_distinct_codes(
    campaign, unit, unit_officer
):
    from tests.factories import CampaignFactory
    from tests.models_registry.test_services import registration_data

    thematic = CampaignFactory(
        organization=campaign.organization, year=2025, form="thematic", status="issued"
    )
    campaigns = [campaign, thematic, thematic, campaign]
    results = run_together(
        lambda index: services.registration_create(
            actor=unit_officer,
            campaign=campaigns[index],
            unit=unit,
            data=registration_data(campaign, name=f"Mô hình {index}"),
        ),
        4,
    )

    assert not [result for result in results if isinstance(result, Exception)]
    codes = sorted(Registration.objects.values_list("code", flat=True))
    assert codes == ["DVK-2025-001", "DVK-2025-002", "DVK-2025-003", "DVK-2025-004"]


def test_two_office_users_deciding_one_late_request_at_once_make_one_decision(
    campaign, unit, unit_officer, office_user
):
    from datetime import date

    import time_machine

    from models_registry.models import LateException, LateRequest
    from notifications.models import Kind, Notification

    second_office = member(campaign.organization, "office")
    with time_machine.travel(date(2025, 4, 10), tick=False):
        late_request = services.late_request_create(
            actor=unit_officer,
            campaign=campaign,
            unit=unit,
            reason="Đơn vị mới kiện toàn cán bộ.",
            wished_until=date(2025, 4, 20),
        )
        decisions = [
            lambda: services.late_request_grant(actor=office_user, late_request=late_request),
            lambda: services.late_request_grant(actor=second_office, late_request=late_request),
            lambda: services.late_request_refuse(
                actor=second_office, late_request=late_request, reason="Muộn"
            ),
        ]
        results = run_together(lambda index: decisions[index](), 3)

    winners = [result for result in results if isinstance(result, LateRequest)]
    losers = [result for result in results if isinstance(result, Exception)]
    assert len(winners) == 1
    assert len(losers) == 2
    assert all(isinstance(loser, ValidationError) for loser in losers)
    final = LateRequest.objects.get(pk=late_request.pk)
    assert final.status == winners[0].status
    assert (
        AuditEvent.objects.filter(
            object_id=str(late_request.pk),
            action__in=["late_request.granted", "late_request.refused"],
        ).count()
        == 1
    )
    assert LateException.objects.count() == (1 if final.status == "granted" else 0)
    assert Notification.objects.filter(kind=Kind.LATE_DECIDED).count() == 1
