"""The chairman's desk in the back office (admin:awards_nomination_desk)."""

import re
from datetime import date

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse

from awards.admin import CONFIRM_SHOWN, DESK_ROWS, DESK_SAMPLE
from awards.models import AwardDecision, Nomination, Vote
from tests.factories import MeetingFactory, NominationFactory, UnitFactory

pytestmark = pytest.mark.django_db
DESK = reverse("admin:awards_nomination_desk")


@pytest.fixture
def voted(passed, meeting):
    for nomination in passed:
        Vote.objects.create(meeting=meeting, nomination=nomination, votes_in_favour=8)
    return passed


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_the_desk_lists_passed_nominations_by_meeting_with_form_amount_and_vote(
    login, voted, chairman, meeting, other_org
):
    foreign = NominationFactory(status="passed", campaign__organization=other_org)
    content = login(chairman).get(DESK).content.decode()
    assert "Họp Hội đồng ngày 15/12/2024" in content
    assert voted[0].unit.name in content
    assert "Nguyễn Thị Hồng" in content
    assert "Giấy khen" in content
    assert "8/10 phiếu đồng ý" in content
    assert "710.000 đ" in content
    assert "360.000 đ" in content
    assert "1.070.000 đ" in content
    assert foreign.unit.name not in content


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_approving_some_asks_for_confirmation_then_issues_one_decision_and_links_to_it(
    login, voted, chairman
):
    client = login(chairman)
    chosen = {"nominations": [voted[1].pk], "decided_on": "2024-12-20", "do": "approve"}
    response = client.post(DESK, chosen)
    assert response.status_code == 200
    assert "Xác nhận phê duyệt" in response.content.decode()
    assert not AwardDecision.objects.exists()
    response = client.post(DESK, chosen | {"confirm": "yes"}, follow=True)
    decision = AwardDecision.objects.get()
    assert list(decision.awards.values_list("nomination_id", flat=True)) == [voted[1].pk]
    assert decision.decided_on == date(2024, 12, 20)
    content = response.content.decode()
    assert decision.issued_document.number_symbol in content
    assert reverse("awards:decision", args=[decision.pk]) in content
    statuses = dict(Nomination.objects.values_list("pk", "status"))
    assert statuses == {voted[0].pk: "passed", voted[1].pk: "approved"}


def test_declining_needs_a_reason_and_keeps_the_selection(login, voted, chairman):
    client = login(chairman)
    data = {"nominations": [voted[0].pk], "do": "reject", "reason": ""}
    response = client.post(DESK, data)
    assert response.status_code == 200
    assert "Hãy ghi lý do." in response.content.decode()
    assert set(Nomination.objects.values_list("status", flat=True)) == {"passed"}
    client.post(DESK, data | {"reason": "Chưa đủ tiêu chuẩn"})
    assert Nomination.objects.get(pk=voted[0].pk).status == "rejected"
    assert Nomination.objects.get(pk=voted[1].pk).status == "passed"


def test_nothing_chosen_is_refused_with_a_message(login, voted, chairman):
    response = login(chairman).post(DESK, {"do": "approve", "decided_on": "2024-12-20"})
    assert "Hãy chọn ít nhất một đề nghị." in response.content.decode()


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_an_organisation_numbering_from_its_register_types_the_number(login, voted, chairman, org):
    org.numbers_from_register = True
    org.save(update_fields=["numbers_from_register"])
    client = login(chairman)
    data = {"nominations": [n.pk for n in voted], "do": "approve", "decided_on": "2024-12-20"}
    response = client.post(DESK, data | {"confirm": "yes"})
    assert response.status_code == 200
    assert not AwardDecision.objects.exists()
    client.post(DESK, data | {"number": "37", "confirm": "yes"})
    assert AwardDecision.objects.get().issued_document.number == 37


def test_only_the_chairman_and_vice_chairmen_use_the_desk(
    login, voted, office_user, vice_chairman, outsider
):
    assert login(vice_chairman).get(DESK).status_code == 200
    assert login(office_user).get(DESK).status_code == 403
    response = login(office_user).post(
        DESK,
        {"nominations": [voted[0].pk], "do": "reject", "reason": "Không"},
    )
    assert response.status_code == 403
    assert login(outsider).get(DESK).status_code == 403
    assert set(Nomination.objects.values_list("status", flat=True)) == {"passed"}


def test_the_desk_says_when_nothing_waits(login, chairman):
    assert "Không có đề nghị nào" in login(chairman).get(DESK).content.decode()


def test_the_desk_takes_as_many_queries_for_three_nominations_as_for_one(
    login, campaign, chairman, queries_for
):
    meeting = MeetingFactory(campaign=campaign)
    client = login(chairman)

    def add():
        nomination = NominationFactory(
            campaign=campaign, unit=UnitFactory(organization=campaign.organization), status="passed"
        )
        Vote.objects.create(meeting=meeting, nomination=nomination, votes_in_favour=9)

    add()
    one = queries_for(client, DESK)
    add()
    add()
    assert queries_for(client, DESK) == one


@pytest.fixture
def crowded(campaign, unit):
    """More passed nominations than the desk ticks line by line (DESK_ROWS): 150 passed
    at a first meeting, the rest at a second."""
    first = MeetingFactory(campaign=campaign, held_on=date(2024, 12, 12))
    second = MeetingFactory(campaign=campaign, held_on=date(2024, 12, 15))
    nominations = [
        NominationFactory(
            campaign=campaign,
            unit=unit,
            kind="individual",
            person_name=f"Người thứ {index}",
            status="passed",
        )
        for index in range(DESK_ROWS + 1)
    ]
    Vote.objects.bulk_create(
        Vote(meeting=first if index < 150 else second, nomination=nomination, votes_in_favour=9)
        for index, nomination in enumerate(nominations)
    )
    return {"first": first, "second": second, "nominations": nominations}


def _listed(content: str) -> str:
    """The fingerprint of the nominations a desk or confirmation listed."""
    return re.search(r'name="listed" value="(\w+)"', content).group(1)


def _statuses(nominations) -> dict[str, int]:
    pks = [n.pk for n in nominations]
    return dict(
        Nomination.objects.filter(pk__in=pks)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_a_desk_too_long_to_tick_line_by_line_is_chosen_meeting_by_meeting(
    login, crowded, chairman
):
    client = login(chairman)
    content = client.get(DESK).content.decode()
    assert "201 đề nghị chờ phê duyệt: chọn theo cuộc họp Hội đồng đã thông qua" in content
    assert 'name="nominations"' not in content
    assert content.count('name="meetings"') == 2
    assert "Chọn 150 đề nghị của cuộc họp này" in content
    assert f"… và {150 - DESK_SAMPLE} đề nghị khác." in content
    assert "Người thứ 19" in content
    assert "Người thứ 20<" not in content

    chosen = {"meetings": [crowded["second"].pk], "decided_on": "2024-12-20", "do": "approve"}
    confirmation = client.post(DESK, chosen).content.decode()
    assert "Xác nhận phê duyệt" in confirmation
    listed = _listed(confirmation)
    assert "Người thứ 200" in confirmation
    assert not AwardDecision.objects.exists()
    client.post(DESK, chosen | {"confirm": "yes", "listed": listed})
    decision = AwardDecision.objects.get()
    assert decision.awards.count() == 51
    assert _statuses(crowded["nominations"]) == {"passed": 150, "approved": 51}


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_a_long_confirmation_lists_the_first_awardees_and_counts_the_rest(login, crowded, chairman):
    meetings = [crowded["first"].pk, crowded["second"].pk]
    chosen = {"meetings": meetings, "decided_on": "2024-12-20", "do": "approve"}
    content = login(chairman).post(DESK, chosen).content.decode()
    assert f"… và {201 - CONFIRM_SHOWN} đề nghị khác (201 đề nghị)." in content
    assert content.count("<li><span>Người thứ") == CONFIRM_SHOWN


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_a_meeting_whose_list_changed_since_the_confirmation_is_shown_again_not_decided(
    login, crowded, chairman
):
    client = login(chairman)
    chosen = {"meetings": [crowded["second"].pk], "decided_on": "2024-12-20", "do": "approve"}
    confirmation = client.post(DESK, chosen).content.decode()
    listed = _listed(confirmation)
    # Meanwhile one of its nominations was withdrawn and another passed at that meeting:
    # as many as the confirmation showed, but not the same.
    Nomination.objects.filter(pk=crowded["nominations"][-1].pk).update(status="withdrawn")
    late = NominationFactory(
        campaign=crowded["first"].campaign, kind="individual", person_name="Người đến sau"
    )
    Nomination.objects.filter(pk=late.pk).update(status="passed")
    Vote.objects.create(meeting=crowded["second"], nomination=late, votes_in_favour=9)
    content = client.post(DESK, chosen | {"confirm": "yes", "listed": listed}).content.decode()
    assert "vừa thay đổi (nay là 51 đề nghị); hãy xem lại trước khi xác nhận." in content
    assert "Người đến sau" in content
    assert _listed(content) != listed
    assert not AwardDecision.objects.exists()


def test_declining_a_long_desk_by_meeting_needs_a_reason_and_declines_that_meeting_only(
    login, crowded, chairman
):
    client = login(chairman)
    listed = _listed(client.get(DESK).content.decode())
    data = {"meetings": [crowded["first"].pk], "do": "reject", "reason": "", "listed": listed}
    assert "Hãy ghi lý do." in client.post(DESK, data).content.decode()
    assert _statuses(crowded["nominations"]) == {"passed": 201}
    client.post(DESK, data | {"reason": "Chưa đủ tiêu chuẩn"})
    assert _statuses(crowded["nominations"]) == {"passed": 51, "rejected": 150}


def test_declining_by_meeting_a_desk_that_changed_since_it_was_shown_declines_nothing(
    login, crowded, chairman, campaign
):
    client = login(chairman)
    listed = _listed(client.get(DESK).content.decode())
    # Meanwhile another vote passes one more nomination at the first meeting.
    late = NominationFactory(campaign=campaign, kind="individual", person_name="Người đến sau")
    Nomination.objects.filter(pk=late.pk).update(status="passed")
    Vote.objects.create(meeting=crowded["first"], nomination=late, votes_in_favour=9)
    data = {
        "meetings": [crowded["first"].pk],
        "do": "reject",
        "reason": "Chưa đủ tiêu chuẩn",
        "listed": listed,
    }
    content = client.post(DESK, data).content.decode()
    assert "Danh sách đề nghị chờ phê duyệt vừa thay đổi" in content
    assert "Chưa đủ tiêu chuẩn" in content  # the reason typed is kept
    assert "Chọn 151 đề nghị của cuộc họp này" in content
    assert _statuses([*crowded["nominations"], late]) == {"passed": 202}
    client.post(DESK, data | {"listed": _listed(content)})
    assert _statuses([*crowded["nominations"], late]) == {"passed": 51, "rejected": 151}


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_a_confirmation_by_meeting_without_its_list_issues_nothing(login, crowded, chairman):
    data = {
        "meetings": [crowded["second"].pk],
        "decided_on": "2024-12-20",
        "do": "approve",
        "confirm": "yes",
    }
    content = login(chairman).post(DESK, data).content.decode()
    assert "hãy xem lại trước khi xác nhận" in content
    assert not AwardDecision.objects.exists()


def test_a_long_desk_with_no_meeting_chosen_says_so(login, crowded, chairman):
    data = {"do": "approve", "decided_on": "2024-12-20"}
    content = login(chairman).post(DESK, data).content.decode()
    assert "Hãy chọn ít nhất một cuộc họp Hội đồng." in content
    assert not AwardDecision.objects.exists()


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_a_long_desks_totals_by_meeting_are_what_its_confirmations_price(
    login, crowded, chairman, campaign, unit
):
    """The desk prices by form and kind of recipient; its confirmation prices each
    nomination: both give the same amounts, a model of a person at a person's rate."""
    from tests.awards.test_decision_documents import model_certificate

    mixed = [
        model_certificate(campaign, unit, form="giay-khen-chu-tich-xa", owner_kind="individual"),
        model_certificate(campaign, unit, form="giay-khen-chu-tich-xa"),
        model_certificate(campaign, unit),  # a certificate: no cash
        NominationFactory(
            campaign=campaign, unit=UnitFactory(organization=unit.organization), status="passed"
        ),
    ]
    Vote.objects.bulk_create(
        Vote(meeting=crowded["second"], nomination=nomination, votes_in_favour=9)
        for nomination in mixed
    )
    client = login(chairman)
    desk = client.get(DESK).content.decode()
    by_meeting = re.findall(r"Cộng: <strong>([^<]+)</strong>", desk)
    overall = re.search(r'data-testid="total">([^<]+)<', desk).group(1)

    def confirmed(*meetings):
        chosen = {"meetings": [m.pk for m in meetings], "decided_on": "2024-12-20", "do": "approve"}
        page = client.post(DESK, chosen).content.decode()
        return re.search(r'data-testid="confirm-total">([^<]+)<', page).group(1)

    # (in the desk's order: the second meeting comes first, with the first collective)
    assert by_meeting == [confirmed(crowded["second"]), confirmed(crowded["first"])]
    assert overall == confirmed(crowded["first"], crowded["second"])
    assert by_meeting[0] != by_meeting[1]
    assert "Chọn 55 đề nghị của cuộc họp này" in desk
