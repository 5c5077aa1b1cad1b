"""Late-submission requests: a unit asks for more time after the registration deadline,
the office grants (with a late exception) or refuses, and each side is told."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from danvan.accounts.models import Membership
from danvan.audit.models import AuditEvent
from models_registry import services
from models_registry.models import LateException, LateRequest
from notifications.messages import message
from notifications.models import Kind, Notification
from tests.factories import CampaignFactory, RegistrationFactory, UnitFactory, member

pytestmark = pytest.mark.django_db
Status = LateRequest.Status
Role = Membership.Role
WISHED = date(2025, 4, 20)


def ask(officer, campaign, unit, *, reason="Đơn vị mới kiện toàn cán bộ.", wished=WISHED):
    return services.late_request_create(
        actor=officer, campaign=campaign, unit=unit, reason=reason, wished_until=wished
    )


def request_page(campaign, unit=None) -> str:
    url = reverse("models_registry:late_request", args=[campaign.pk])
    return f"{url}?unit={unit.pk}" if unit is not None else url


def late_page(campaign) -> str:
    return reverse("models_registry:late", args=[campaign.pk])


def grant_url(late_request) -> str:
    return reverse("models_registry:late_request_grant", args=[late_request.pk])


def refuse_url(late_request) -> str:
    return reverse("models_registry:late_request_refuse", args=[late_request.pk])


# Asking ---------------------------------------------------------------------------------


def test_a_unit_officer_asks_from_the_page_and_the_office_is_told_after_commit(
    login,
    campaign,
    unit,
    unit_officer,
    office_user,
    after_deadline,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(unit_officer).post(
            request_page(campaign, unit),
            {
                "unit": unit.pk,
                "reason": "Chủ tịch Hội mới nhận việc.",
                "wished_until": "20/04/2025",
            },
        )
    assert response.status_code == 302
    late_request = LateRequest.objects.get()
    assert (late_request.unit, late_request.requested_by, late_request.status) == (
        unit,
        unit_officer,
        Status.PENDING,
    )
    assert late_request.wished_until == WISHED
    assert late_request.organization == campaign.organization
    assert AuditEvent.objects.filter(
        action="late_request.create", object_id=str(late_request.pk)
    ).exists()
    notification = Notification.objects.get(kind=Kind.LATE_REQUESTED)
    assert notification.recipient == office_user
    assert notification.url == late_page(campaign)
    assert unit.name in message(notification)
    assert "20/04/2025" in message(notification)
    assert [m.to for m in mailoutbox] == [[office_user.email]]
    # The officer sees the request waiting, and cannot ask twice.
    html = login(unit_officer).get(request_page(campaign, unit)).content.decode()
    assert "Chờ Văn phòng xem xét" in html
    assert "đang chờ Văn phòng xem xét" in html
    assert 'name="reason"' not in html


def test_the_request_form_keeps_what_was_typed_when_the_date_is_past(
    login, campaign, unit, unit_officer, after_deadline
):
    response = login(unit_officer).post(
        request_page(campaign, unit),
        {"unit": unit.pk, "reason": "Lý do rất riêng của đơn vị", "wished_until": "01/04/2025"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày gia hạn phải từ hôm nay trở đi." in html
    assert "Lý do rất riêng của đơn vị" in html
    assert "01/04/2025" in html
    assert not LateRequest.objects.exists()


def test_a_request_without_a_reason_is_refused_by_the_form(
    login, campaign, unit, unit_officer, after_deadline
):
    response = login(unit_officer).post(
        request_page(campaign, unit), {"unit": unit.pk, "reason": " ", "wished_until": "20/04/2025"}
    )
    assert response.status_code == 200
    assert "20/04/2025" in response.content.decode()
    assert not LateRequest.objects.exists()
    with pytest.raises(ValidationError) as refused:
        ask(unit_officer, campaign, unit, reason="  ")
    assert "reason" in refused.value.message_dict


def test_nobody_asks_before_the_deadline_has_passed(
    login, campaign, unit, unit_officer, during_registration
):
    with pytest.raises(ValidationError) as refused:
        ask(unit_officer, campaign, unit)
    assert "chưa hết" in " ".join(refused.value.messages)
    html = login(unit_officer).get(request_page(campaign, unit)).content.decode()
    assert "Hạn đăng ký mô hình chưa hết" in html
    assert 'name="reason"' not in html


def test_a_unit_with_a_running_exception_does_not_ask(
    campaign, unit, unit_officer, office_user, after_deadline
):
    services.late_exception_grant(
        actor=office_user, campaign=campaign, unit=unit, expires_on=date(2025, 4, 15)
    )
    with pytest.raises(ValidationError) as refused:
        ask(unit_officer, campaign, unit)
    assert "15/04/2025" in " ".join(refused.value.messages)
    assert not LateRequest.objects.exists()


def test_a_unit_has_one_pending_request_per_campaign(campaign, unit, unit_officer, after_deadline):
    ask(unit_officer, campaign, unit)
    with pytest.raises(ValidationError) as refused:
        ask(unit_officer, campaign, unit)
    assert "đang chờ" in " ".join(refused.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        LateRequest.objects.create(
            campaign=campaign,
            organization=campaign.organization,
            unit=unit,
            reason="Lần hai",
            wished_until=WISHED,
        )
    assert LateRequest.objects.count() == 1


def test_a_refused_unit_may_ask_again(campaign, unit, unit_officer, office_user, after_deadline):
    first = ask(unit_officer, campaign, unit)
    services.late_request_refuse(actor=office_user, late_request=first, reason="Quá muộn.")
    second = ask(unit_officer, campaign, unit, reason="Đã có đủ hồ sơ.")
    assert second.status == Status.PENDING
    assert LateRequest.objects.count() == 2


def test_only_an_officer_of_the_unit_asks_for_it(
    login, campaign, unit, other_unit_officer, office_user, after_deadline
):
    for actor in (other_unit_officer, office_user):
        with pytest.raises(PermissionDenied):
            ask(actor, campaign, unit)
    # Another unit's officer naming this unit on the page: not found, nothing made.
    response = login(other_unit_officer).post(
        request_page(campaign, unit),
        {"unit": unit.pk, "reason": "Thử", "wished_until": "20/04/2025"},
    )
    assert response.status_code == 404
    assert login(office_user).get(request_page(campaign)).status_code == 404
    assert not LateRequest.objects.exists()


def test_another_organisations_campaign_and_requests_are_not_found(
    login, campaign, unit, unit_officer, outsider, other_org, after_deadline
):
    foreign = CampaignFactory(organization=other_org, year=2025, status="issued")
    assert login(unit_officer).get(request_page(foreign)).status_code == 404
    late_request = ask(unit_officer, campaign, unit)
    client = login(outsider)
    assert client.get(late_page(campaign)).status_code == 404
    assert client.post(grant_url(late_request), {}).status_code == 404
    assert (
        client.post(refuse_url(late_request), {f"refuse-{late_request.pk}-reason": "Không"})
    ).status_code == 404
    with pytest.raises(PermissionDenied):
        services.late_request_grant(actor=outsider, late_request=late_request)
    late_request.refresh_from_db()
    assert late_request.status == Status.PENDING
    assert not LateException.objects.exists()


# Deciding -------------------------------------------------------------------------------


def test_the_office_grants_until_the_wished_day_by_default(
    campaign,
    unit,
    unit_officer,
    office_user,
    after_deadline,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    late_request = ask(unit_officer, campaign, unit)
    with django_capture_on_commit_callbacks(execute=True):
        granted = services.late_request_grant(actor=office_user, late_request=late_request)
    assert granted.status == Status.GRANTED
    late_request.refresh_from_db()
    assert (late_request.status, late_request.granted_until, late_request.decided_by) == (
        Status.GRANTED,
        WISHED,
        office_user,
    )
    assert late_request.decided_at is not None
    assert LateException.objects.get(campaign=campaign, unit=unit).expires_on == WISHED
    assert services.registration_window_open(campaign=campaign, unit=unit)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"late_request.create", "late_request.granted", "registration.late_exception"} <= (
        actions
    )
    notification = Notification.objects.get(kind=Kind.LATE_DECIDED)
    assert notification.recipient == unit_officer
    assert "20/04/2025" in message(notification)
    assert [unit_officer.email] in [m.to for m in mailoutbox]


def test_the_office_grants_from_the_page_until_the_day_it_chooses(
    login, campaign, unit, unit_officer, office_user, after_deadline
):
    late_request = ask(unit_officer, campaign, unit)
    client = login(office_user)
    html = client.get(late_page(campaign)).content.decode()
    assert "Đơn vị mới kiện toàn cán bộ." in html
    assert "20/04/2025" in html  # the grant form offers the wished day
    response = client.post(
        grant_url(late_request), {f"grant-{late_request.pk}-expires_on": "25/04/2025"}
    )
    assert response.status_code == 302
    assert LateException.objects.get(unit=unit).expires_on == date(2025, 4, 25)
    late_request.refresh_from_db()
    assert late_request.granted_until == date(2025, 4, 25)
    # Decided requests stay on the page as history.
    html = client.get(late_page(campaign)).content.decode()
    assert "Đề nghị gia hạn đã trả lời" in html
    assert "Không có đề nghị gia hạn nào đang chờ." in html
    # The unit sees the answer on its page.
    html = login(unit_officer).get(request_page(campaign, unit)).content.decode()
    assert "Văn phòng cho gửi đến hết 25/04/2025." in html


def test_the_offices_own_grant_answers_the_units_waiting_request(
    login,
    campaign,
    unit,
    unit_officer,
    office_user,
    after_deadline,
    django_capture_on_commit_callbacks,
):
    late_request = ask(unit_officer, campaign, unit)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(office_user).post(
            late_page(campaign),
            {"unit": unit.pk, "expires_on": "22/04/2025", "reason": "Theo đề nghị của tổ."},
        )
    assert response.status_code == 302
    late_request.refresh_from_db()
    assert late_request.status == Status.GRANTED
    assert late_request.granted_until == date(2025, 4, 22)
    assert late_request.decided_by == office_user
    assert LateException.objects.get(campaign=campaign, unit=unit).expires_on == date(2025, 4, 22)
    told = Notification.objects.get(recipient=unit_officer, kind=Kind.LATE_DECIDED)
    assert "22/04/2025" in message(told)


def test_the_office_refuses_with_a_reason_and_the_officer_is_told_why(
    login, campaign, unit, unit_officer, office_user, after_deadline
):
    late_request = ask(unit_officer, campaign, unit)
    client = login(office_user)
    response = client.post(refuse_url(late_request), {f"refuse-{late_request.pk}-reason": ""})
    assert response.status_code == 200  # the page again, with the error on the form
    late_request.refresh_from_db()
    assert late_request.status == Status.PENDING
    response = client.post(
        refuse_url(late_request),
        {f"refuse-{late_request.pk}-reason": "Đã quá hạn sơ kết."},
    )
    assert response.status_code == 302
    late_request.refresh_from_db()
    assert (late_request.status, late_request.refusal_reason) == (
        Status.REFUSED,
        "Đã quá hạn sơ kết.",
    )
    assert not LateException.objects.exists()
    assert AuditEvent.objects.filter(action="late_request.refused").count() == 1
    notification = Notification.objects.get(kind=Kind.LATE_DECIDED)
    assert notification.recipient == unit_officer
    assert "Đã quá hạn sơ kết." in message(notification)
    html = login(unit_officer).get(request_page(campaign, unit)).content.decode()
    assert "Không cho gia hạn" in html
    assert "Đã quá hạn sơ kết." in html


def test_a_refusal_needs_a_reason(campaign, unit, unit_officer, office_user, after_deadline):
    late_request = ask(unit_officer, campaign, unit)
    with pytest.raises(ValidationError):
        services.late_request_refuse(actor=office_user, late_request=late_request, reason=" ")
    late_request.refresh_from_db()
    assert late_request.status == Status.PENDING


def test_a_grant_date_already_past_is_refused_and_the_page_keeps_it(
    login, campaign, unit, unit_officer, office_user, after_deadline
):
    late_request = ask(unit_officer, campaign, unit)
    response = login(office_user).post(
        grant_url(late_request),
        {
            f"grant-{late_request.pk}-expires_on": "02/04/2025",
            f"grant-{late_request.pk}-note": "Ghi chú riêng",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày gia hạn phải từ hôm nay trở đi." in html
    assert "Ghi chú riêng" in html
    late_request.refresh_from_db()
    assert late_request.status == Status.PENDING
    assert not LateException.objects.exists()


def test_granting_twice_makes_one_transition(
    login, campaign, unit, unit_officer, office_user, after_deadline
):
    late_request = ask(unit_officer, campaign, unit)
    second_office = member(campaign.organization, "office")
    services.late_request_grant(actor=office_user, late_request=late_request)
    for decide in (
        lambda: services.late_request_grant(actor=second_office, late_request=late_request),
        lambda: services.late_request_refuse(
            actor=second_office, late_request=late_request, reason="Muộn"
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            decide()
        assert refused.value.code == "conflict"
    # The second click on the page: a message, nothing changes.
    response = login(second_office).post(
        grant_url(late_request), {f"grant-{late_request.pk}-expires_on": "30/04/2025"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action__startswith="late_request.granted").count() == 1
    assert AuditEvent.objects.filter(action="registration.late_exception").count() == 1
    assert LateException.objects.get().expires_on == WISHED
    assert Notification.objects.filter(kind=Kind.LATE_DECIDED).count() == 1


def test_unit_officers_and_other_roles_cannot_decide(
    login, campaign, unit, unit_officer, chairman, after_deadline
):
    late_request = ask(unit_officer, campaign, unit)
    data = {f"grant-{late_request.pk}-expires_on": "25/04/2025"}
    for user in (unit_officer, chairman):
        assert login(user).post(grant_url(late_request), data).status_code == 404
        with pytest.raises(PermissionDenied):
            services.late_request_grant(actor=user, late_request=late_request)
    late_request.refresh_from_db()
    assert late_request.status == Status.PENDING


# Where the unit meets the closed window --------------------------------------------------


def test_a_draft_past_the_deadline_offers_the_request_to_its_officer(
    login, registration, unit_officer, office_user, after_deadline
):
    detail = reverse("models_registry:detail", args=[registration.pk])
    html = login(unit_officer).get(detail).content.decode()
    assert "Đề nghị gia hạn" in html
    assert request_page(registration.campaign, registration.unit).replace("&", "&amp;") in html
    ask(unit_officer, registration.campaign, registration.unit)
    html = login(unit_officer).get(detail).content.decode()
    assert "đang chờ Văn phòng xem xét" in html


def test_the_list_offers_the_request_for_a_campaign_whose_deadline_passed(
    login, campaign, unit, unit_officer, after_deadline
):
    html = login(unit_officer).get(reverse("models_registry:list")).content.decode()
    assert "Hết hạn đăng ký (2025) — Đề nghị gia hạn" in html
    ask(unit_officer, campaign, unit)
    html = login(unit_officer).get(reverse("models_registry:list")).content.decode()
    assert "Đề nghị gia hạn (2025) — chờ Văn phòng" in html


# Query counts -----------------------------------------------------------------------------


def test_the_late_page_takes_the_same_queries_for_three_requests_as_for_one(
    login, campaign, office_user, queries_for, after_deadline
):
    client = login(office_user)

    def add_requests():
        for status in (Status.PENDING, Status.GRANTED):
            unit = UnitFactory(organization=campaign.organization)
            officer = member(campaign.organization, "unit_officer", unit=unit)
            late_request = ask(officer, campaign, unit)
            if status == Status.GRANTED:
                services.late_request_grant(actor=office_user, late_request=late_request)

    add_requests()
    one = queries_for(client, late_page(campaign))
    add_requests()
    add_requests()
    assert queries_for(client, late_page(campaign)) == one


def test_the_request_page_takes_the_same_queries_for_three_requests_as_for_one(
    login, campaign, unit, unit_officer, office_user, queries_for, after_deadline
):
    client = login(unit_officer)

    def add_request():
        late_request = ask(unit_officer, campaign, unit)
        services.late_request_refuse(actor=office_user, late_request=late_request, reason="Chưa")

    add_request()
    one = queries_for(client, request_page(campaign, unit))
    add_request()
    add_request()
    assert queries_for(client, request_page(campaign, unit)) == one


def test_a_registration_past_the_deadline_counts_no_extra_queries_per_request(
    login, registration, unit_officer, office_user, queries_for, after_deadline
):
    client = login(unit_officer)
    detail = reverse("models_registry:detail", args=[registration.pk])

    def add_request():
        late_request = ask(unit_officer, registration.campaign, registration.unit)
        services.late_request_refuse(actor=office_user, late_request=late_request, reason="Chưa")

    add_request()
    one = queries_for(client, detail)
    add_request()
    add_request()
    assert queries_for(client, detail) == one


def test_the_campaign_page_and_the_new_registration_page_offer_the_request(
    login, campaign, unit, unit_officer, office_user, after_deadline
):
    client = login(unit_officer)
    campaign_page = reverse("campaigns:detail", args=[campaign.pk])
    html = client.get(campaign_page).content.decode()
    assert 'data-testid="campaign-late"' in html
    assert request_page(campaign, unit).replace("&", "&amp;") in html
    create = f"{reverse('models_registry:create')}?campaign={campaign.pk}"
    html = client.get(create).content.decode()
    assert "Hãy đề nghị Văn phòng cho gia hạn." in html
    assert request_page(campaign, unit).replace("&", "&amp;") in html
    ask(unit_officer, campaign, unit)
    assert "chờ Văn phòng xem xét" in client.get(campaign_page).content.decode()
    # The office sees no such panel: it answers on the late page.
    html = login(office_user).get(campaign_page).content.decode()
    assert 'data-testid="campaign-late"' not in html


def test_the_campaign_page_shows_a_granted_extension(
    login, campaign, unit, unit_officer, office_user, after_deadline
):
    services.late_request_grant(actor=office_user, late_request=ask(unit_officer, campaign, unit))
    html = login(unit_officer).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "được gửi đến hết 20/04/2025" in html


def test_before_registration_opens_a_draft_says_when_it_opens_and_offers_no_extension(
    login, campaign, unit, unit_officer
):
    registration = RegistrationFactory(campaign=campaign, unit=unit, status="draft")
    with time_machine.travel(date(2025, 1, 20), tick=False):
        client = login(unit_officer)
        detail = client.get(reverse("models_registry:detail", args=[registration.pk]))
        form = client.get(
            reverse("models_registry:create"), {"campaign": campaign.pk, "unit": unit.pk}
        )
    assert (detail.status_code, form.status_code) == (200, 200)
    html, new = detail.text, form.text
    assert 'name="name"' in new  # the registration form itself
    assert 'data-testid="window-not-open"' in html
    assert "05/02/2025" in html
    assert "Đề nghị gia hạn" not in html
    assert 'data-testid="window-closed"' not in new


def test_no_extension_is_asked_once_the_year_end_review_is_over(campaign, unit, unit_officer):
    after_the_year = campaign.year_end_review_ends + timedelta(days=1)
    with (
        time_machine.travel(after_the_year, tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        ask(unit_officer, campaign, unit, wished=after_the_year + timedelta(days=9))
    assert "tổng kết" in " ".join(refused.value.messages)
    assert not LateRequest.objects.exists()


def test_every_officer_of_the_unit_is_told_the_answer_and_nobody_else(
    campaign, unit, other_unit, unit_officer, office_user, after_deadline
):
    colleague = member(campaign.organization, Role.UNIT_OFFICER, unit=unit)
    neighbour = member(campaign.organization, Role.UNIT_OFFICER, unit=other_unit)
    late_request = ask(unit_officer, campaign, unit)
    unit_officer.memberships.filter(role=Role.UNIT_OFFICER).delete()  # moved to other work
    services.late_request_refuse(actor=office_user, late_request=late_request, reason="Quá muộn.")
    told = set(
        Notification.objects.filter(kind=Kind.LATE_DECIDED).values_list("recipient", flat=True)
    )
    assert told == {colleague.pk}
    assert neighbour.pk not in told


def test_an_extension_never_reaches_past_the_start_of_the_year_end_review(
    login, campaign, unit, unit_officer, office_user, after_deadline
):
    limit = campaign.year_end_review_starts
    too_late = f"{limit + timedelta(days=1):%d/%m/%Y}"
    refusal = f"Ngày gia hạn không được sau ngày {limit:%d/%m/%Y}"
    response = login(unit_officer).post(
        request_page(campaign, unit),
        {"unit": unit.pk, "reason": "Đơn vị mới thành lập", "wished_until": too_late},
    )
    assert response.status_code == 200
    assert refusal in response.content.decode()
    assert not LateRequest.objects.exists()
    late_request = ask(unit_officer, campaign, unit)
    response = login(office_user).post(
        grant_url(late_request), {f"grant-{late_request.pk}-expires_on": too_late}
    )
    assert refusal in response.content.decode()
    assert not LateException.objects.exists()
    # Even an extension recorded before the rule stops at the year-end review.
    LateException.objects.create(
        campaign=campaign, unit=unit, expires_on=date(2031, 12, 31), granted_by=office_user
    )
    assert services.registration_window_open(campaign=campaign, unit=unit, today=limit)
    later = limit + timedelta(days=1)
    assert not services.registration_window_open(campaign=campaign, unit=unit, today=later)


def test_a_request_without_a_reason_and_with_a_past_day_says_both_at_once(
    login, campaign, unit, unit_officer, after_deadline
):
    response = login(unit_officer).post(
        request_page(campaign, unit), {"unit": unit.pk, "reason": " ", "wished_until": "01/04/2025"}
    )
    form = response.context["form"]
    assert set(form.errors) == {"reason", "wished_until"}
    assert "Ngày gia hạn phải từ hôm nay trở đi." in form.errors["wished_until"][0]
