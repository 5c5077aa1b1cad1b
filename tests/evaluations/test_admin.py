import pytest
from django.urls import reverse

from evaluations.models import Round
from tests.evaluations.factories import RoundFactory
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_office_staff_list_only_their_organisations_rounds(login, office_user, round, other_org):
    foreign = RoundFactory(
        campaign=CampaignFactory(organization=other_org, status="issued"), name="Đợt bên cạnh"
    )
    content = login(office_user).get(reverse("admin:evaluations_round_changelist")).content.decode()
    assert round.name in content
    assert foreign.name not in content


def test_the_admin_closes_rounds_through_the_service(login, office_user, round):
    response = login(office_user).post(
        reverse("admin:evaluations_round_changelist"),
        {"action": "close_rounds", "_selected_action": [round.pk]},
        follow=True,
    )
    assert "Đã kết thúc 1 đợt." in response.content.decode()
    assert Round.objects.get().status == Round.Status.CLOSED
    response = login(office_user).post(
        reverse("admin:evaluations_round_changelist"),
        {"action": "open_rounds", "_selected_action": [round.pk]},
        follow=True,
    )
    assert "Không thể chuyển đợt kiểm tra" in response.content.decode()


def test_the_chairman_may_look_but_not_close(login, chairman, round):
    response = login(chairman).post(
        reverse("admin:evaluations_round_changelist"),
        {"action": "close_rounds", "_selected_action": [round.pk]},
        follow=True,
    )
    assert Round.objects.get().status == Round.Status.OPEN
    assert response.status_code in (200, 403)


def test_a_rounds_status_is_read_only_and_a_change_goes_through_the_service(
    login, office_user, round
):
    client = login(office_user)
    change = reverse("admin:evaluations_round_change", args=[round.pk])
    page = client.get(change)
    assert 'name="status"' not in page.content.decode()
    response = client.post(
        change,
        {
            "kind": round.kind,
            "name": "Sơ kết 6 tháng",
            "starts_on": "2025-06-16",
            "ends_on": "2025-07-15",
        },
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.name == "Sơ kết 6 tháng"
    assert round.version == 3  # opened, then edited


def test_a_stale_round_edit_in_the_admin_is_refused_and_keeps_what_was_typed(
    login, office_user, round
):
    from evaluations import services

    client = login(office_user)
    change = reverse("admin:evaluations_round_change", args=[round.pk])
    started_from = round.version
    services.round_update(
        actor=office_user, round=round, data={"name": "Đã đổi tên"}, expected_version=None
    )
    response = client.post(
        change,
        {
            "kind": round.kind,
            "name": "Tên gõ sau",
            "starts_on": "2025-06-16",
            "ends_on": "2025-07-15",
            "row_version": started_from,
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "vừa được người khác sửa" in content
    assert "Tên gõ sau" in content
    round.refresh_from_db()
    assert round.name == "Đã đổi tên"


def test_the_rubric_is_read_only_in_the_admin(login, office_user, rubric):
    client = login(office_user)
    page = client.get(reverse("admin:evaluations_rubric_change", args=[rubric.pk]))
    content = page.content.decode()
    assert "Hiệu quả thiết thực, có sức lan tỏa" in content
    assert 'name="criteria-0-title"' not in content


@pytest.mark.parametrize(
    "url_name", ["admin:evaluations_round_changelist", "admin:evaluations_rubric_changelist"]
)
def test_the_changelists_take_as_many_queries_for_three_rows_as_for_one(
    login, office_user, campaign, queries_for, url_name, rubric
):
    client = login(office_user)
    RoundFactory(campaign=campaign)
    one = queries_for(client, reverse(url_name))
    for _index in range(2):
        other = CampaignFactory(organization=campaign.organization, status="issued")
        RoundFactory(campaign=other)
        from evaluations import services

        services.rubric_seed_default(actor=office_user, campaign=other)
    assert queries_for(client, reverse(url_name)) == one
