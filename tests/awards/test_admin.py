from datetime import date

import pytest
import time_machine
from django.urls import reverse

from awards import services
from awards.models import AwardDecision, Nomination
from danvan.text import vnd
from tests.factories import NominationFactory, UnitFactory, award_form

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:awards_nomination_changelist")


def action(name, nominations, **extra):
    return {"action": name, "_selected_action": [n.pk for n in nominations], **extra}


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_the_chairman_sees_awardees_forms_amounts_and_total_before_approving(
    login, passed, chairman
):
    response = login(chairman).post(CHANGELIST, action("approve_nominations", passed))
    assert response.status_code == 200
    content = response.content.decode()
    assert passed[0].unit.name in content
    assert "Nguyễn Thị Hồng" in content
    assert "710.000 đ" in content
    assert "360.000 đ" in content
    assert "1.070.000 đ" in content
    assert not AwardDecision.objects.exists()


def test_confirming_issues_one_decision_for_the_selection(login, passed, chairman):
    response = login(chairman).post(
        CHANGELIST,
        action("approve_nominations", passed, post="yes", decided_on="2024-12-20"),
        follow=True,
    )
    decision = AwardDecision.objects.get()
    assert decision.awards.count() == 2
    assert decision.issued_document.number_symbol in response.content.decode()


def test_nominations_not_yet_passed_are_left_out_and_said_so(
    login, campaign, passed, chairman, unit
):
    pending = NominationFactory(
        campaign=campaign, unit=UnitFactory(organization=campaign.organization)
    )
    content = (
        login(chairman)
        .post(CHANGELIST, action("approve_nominations", [*passed, pending]))
        .content.decode()
    )
    assert "1 đề nghị chưa được Hội đồng thông qua" in content


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_awards_the_level_above_decides_are_left_out_of_the_confirmation_and_said_so(
    login, campaign, passed, chairman
):
    higher = NominationFactory(
        campaign=campaign,
        unit=UnitFactory(organization=campaign.organization, name="Chi hội Cựu chiến binh"),
        award_form=award_form("bang-khen-chu-tich-tinh"),
        status="passed",
    )
    client = login(chairman)
    response = client.post(CHANGELIST, action("approve_nominations", [*passed, higher]))
    content = response.content.decode()
    note = content.split('data-testid="higher"')[1].split("</p>")[0]
    assert "Chi hội Cựu chiến binh (Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh)" in note
    assert {item.nomination for item in response.context["priced"]} == set(passed)
    assert "1.070.000 đ" in content
    client.post(
        CHANGELIST,
        action("approve_nominations", [*passed, higher], post="yes", decided_on="2024-12-20"),
    )
    assert AwardDecision.objects.get().awards.count() == 2
    assert Nomination.objects.get(pk=higher.pk).status == "passed"


def test_declining_asks_for_a_reason(login, passed, chairman):
    client = login(chairman)
    response = client.post(CHANGELIST, action("reject_nominations", passed, post="yes", reason=""))
    assert response.status_code == 200
    assert set(Nomination.objects.values_list("status", flat=True)) == {"passed"}
    client.post(
        CHANGELIST, action("reject_nominations", passed, post="yes", reason="Chưa đủ tiêu chuẩn")
    )
    assert set(Nomination.objects.values_list("status", flat=True)) == {"rejected"}


def test_office_staff_see_the_list_without_the_approval_actions(login, passed, office_user):
    client = login(office_user)
    content = client.get(CHANGELIST).content.decode()
    assert "approve_nominations" not in content
    response = client.post(
        CHANGELIST, action("approve_nominations", passed, post="yes", decided_on="2024-12-20")
    )
    assert not AwardDecision.objects.exists()
    assert response.status_code in (200, 302)


def test_another_organisations_nominations_are_404(login, passed, outsider):
    assert (
        login(outsider)
        .get(reverse("admin:awards_nomination_change", args=[passed[0].pk]))
        .status_code
        == 404
    )


def test_the_approval_page_takes_as_many_queries_for_three_nominations_as_for_one(
    login, campaign, chairman, queries_for
):
    client = login(chairman)
    organization = campaign.organization
    first = NominationFactory(
        campaign=campaign, unit=UnitFactory(organization=organization), status="passed"
    )
    one = queries_for(
        client, CHANGELIST, method="post", data=action("approve_nominations", [first])
    )
    more = [first] + [
        NominationFactory(
            campaign=campaign, unit=UnitFactory(organization=organization), status="passed"
        )
        for _i in range(2)
    ]
    assert (
        queries_for(client, CHANGELIST, method="post", data=action("approve_nominations", more))
        == one
    )


@pytest.mark.parametrize(
    "name",
    [
        "nomination",
        "awarddecision",
        "awardform",
        "basesalary",
        "councilmeeting",
        "escalation",
        "councilmember",
    ],
)
def test_award_changelists_take_as_many_queries_for_three_rows_as_for_one(
    login, campaign, chairman, queries_for, name
):
    client = login(chairman)
    url = reverse(f"admin:awards_{name}_changelist")
    organization = campaign.organization
    NominationFactory(campaign=campaign, unit=UnitFactory(organization=organization))
    one = queries_for(client, url)
    for _index in range(2):
        NominationFactory(campaign=campaign, unit=UnitFactory(organization=organization))
    assert queries_for(client, url) == one


def _decision_of(chairman, campaign, count: int) -> AwardDecision:
    nominations = [
        NominationFactory(
            campaign=campaign, unit=UnitFactory(organization=campaign.organization), status="passed"
        )
        for _index in range(count)
    ]
    return services.decision_issue(
        actor=chairman, nominations=nominations, decided_on=date(2024, 12, 20)
    )


def test_a_decisions_admin_page_lists_its_awards_as_text_in_as_many_queries_for_three_as_for_one(
    login, campaign, chairman, queries_for
):
    client = login(chairman)
    one = _decision_of(chairman, campaign, 1)
    three = _decision_of(chairman, campaign, 3)
    page = reverse("admin:awards_awarddecision_change", args=[three.pk])
    assert queries_for(client, page) == queries_for(
        client, reverse("admin:awards_awarddecision_change", args=[one.pk])
    )
    content = client.get(page).content.decode()
    for award in three.awards.all():
        assert f"<td>{award.recipient_name}</td>" in content
    assert '<th scope="col">Hình thức khen thưởng</th>' in content
    assert f"<td>{vnd(three.awards.first().amount_vnd)}</td>" in content
    assert "<input" not in content.split('class="awards"')[1].split("</table>")[0]
