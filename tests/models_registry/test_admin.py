import pytest
from django.urls import reverse

from models_registry.models import Registration
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status
CHANGELIST = reverse("admin:models_registry_registration_changelist")


def test_the_accept_action_goes_through_the_transition_service(login, campaign, unit, office_user):
    submitted = RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)
    returned = RegistrationFactory(campaign=campaign, unit=unit, status=Status.RETURNED)
    response = login(office_user).post(
        CHANGELIST,
        {"action": "mark_accepted", "_selected_action": [submitted.pk, returned.pk]},
        follow=True,
    )
    content = response.content.decode()
    assert "Đã cập nhật 1 mô hình." in content
    assert "Không thể chuyển mô hình" in content
    assert Registration.objects.get(pk=submitted.pk).status == Status.ACCEPTED
    assert Registration.objects.get(pk=returned.pk).status == Status.RETURNED


def test_registration_content_is_read_only_in_the_back_office(login, campaign, unit, office_user):
    registration = RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)
    content = (
        login(office_user)
        .get(reverse("admin:models_registry_registration_change", args=[registration.pk]))
        .content.decode()
    )
    assert 'name="name"' not in content
    assert 'name="status"' not in content


def test_drafts_and_other_organisations_stay_out_of_the_office_list(
    login, campaign, unit, office_user, outsider
):
    draft = RegistrationFactory(campaign=campaign, unit=unit, name="Bản nháp riêng")
    submitted = RegistrationFactory(
        campaign=campaign, unit=unit, status=Status.SUBMITTED, name="Đã gửi chờ duyệt"
    )
    content = login(office_user).get(CHANGELIST).content.decode()
    assert draft.name not in content
    assert submitted.name in content  # positive control: the organisation's own office sees it
    change = reverse("admin:models_registry_registration_change", args=[submitted.pk])
    assert login(outsider).get(change).status_code == 404
    assert submitted.name not in login(outsider).get(CHANGELIST).content.decode()
    assert login(office_user).get(change).status_code == 200


@pytest.mark.parametrize("name", ["registration", "lateexception", "progressreport", "comment"])
def test_registry_changelists_take_as_many_queries_for_three_rows_as_for_one(
    login, campaign, unit, office_user, queries_for, name
):
    from datetime import date

    from models_registry.models import Comment, LateException, ProgressReport

    def add():
        registration = RegistrationFactory(campaign=campaign, unit=unit, status=Status.ACCEPTED)
        ProgressReport.objects.create(
            registration=registration, reported_on=date(2025, 6, 1), text="x"
        )
        Comment.objects.create(registration=registration, author=office_user, body="x")
        LateException.objects.create(
            campaign=campaign,
            unit=type(unit).objects.create(
                organization=campaign.organization,
                name=f"Đơn vị {registration.pk}",
                short_name=f"U{registration.pk}",
                kind="other",
            ),
            expires_on=date(2025, 4, 30),
        )

    client = login(office_user)
    url = reverse(f"admin:models_registry_{name}_changelist")
    add()
    one = queries_for(client, url)
    add()
    add()
    assert queries_for(client, url) == one


def test_the_field_list_counts_each_fields_registrations_in_as_many_queries_for_any_number(
    login, campaign, unit, office_user, queries_for
):
    from models_registry.models import Field

    client = login(office_user)
    url = reverse("admin:models_registry_field_changelist")
    fields = list(Field.objects.filter(organization=campaign.organization).order_by("pk")[:2])
    RegistrationFactory(campaign=campaign, unit=unit, field=fields[0])
    one = queries_for(client, url)
    for _index in range(2):
        RegistrationFactory(campaign=campaign, unit=unit, field=fields[0])
    assert queries_for(client, url) == one
    counts = {
        field.pk: field.registration_total for field in client.get(url).context["cl"].result_list
    }
    assert counts[fields[0].pk] == 3
    assert counts[fields[1].pk] == 0
