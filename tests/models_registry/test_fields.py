"""Each organisation keeps its own list of fields (lĩnh vực)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from models_registry import services
from models_registry.models import Field, Registration
from tests.factories import OrganizationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status
CHANGELIST = reverse("admin:models_registry_field_changelist")
ADD = reverse("admin:models_registry_field_add")


def change_url(field) -> str:
    return reverse("admin:models_registry_field_change", args=[field.pk])


def names(organization) -> list[str]:
    return list(
        Field.objects.filter(organization=organization)
        .order_by("position")
        .values_list("name", flat=True)
    )


def test_a_new_organisation_starts_with_the_four_common_fields():
    organization = OrganizationFactory()
    assert names(organization) == [
        "Kinh tế",
        "Văn hóa – xã hội",
        "Quốc phòng – an ninh",
        "Xây dựng hệ thống chính trị",
    ]


def test_renaming_a_field_in_one_ward_leaves_the_other_wards_list_alone(org, other_org):
    Field.objects.filter(organization=org, code="economy").update(name="Kinh tế – đô thị")
    assert names(org)[0] == "Kinh tế – đô thị"
    assert names(other_org)[0] == "Kinh tế"


def test_office_staff_add_a_field_which_only_their_ward_offers(
    login, org, other_org, office_user, unit_officer, campaign, during_registration
):
    response = login(office_user).post(
        ADD,
        {"organization": org.pk, "name": "Chuyển đổi số", "position": 5, "is_active": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    field = Field.objects.get(name="Chuyển đổi số")
    assert field.organization == org
    assert field.code == "chuyen-doi-so"  # made from the name when left blank
    form = (
        login(unit_officer)
        .get(reverse("models_registry:create") + f"?campaign={campaign.pk}")
        .context["form"]
    )
    assert "Chuyển đổi số" in [str(choice) for choice in form.fields["field"].queryset]
    assert not Field.objects.filter(organization=other_org, name="Chuyển đổi số").exists()


def test_a_second_field_of_the_same_name_gets_a_vietnamese_message(login, org, office_user):
    response = login(office_user).post(
        ADD, {"organization": org.pk, "name": "Kinh tế", "position": 9, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "Tổ chức đã có lĩnh vực trùng tên." in response.content.decode()
    assert Field.objects.filter(organization=org, name="Kinh tế").count() == 1


def test_office_staff_neither_see_nor_change_another_wards_fields(
    login, org, other_org, office_user
):
    theirs = Field.objects.get(organization=other_org, code="economy")
    ours = Field.objects.get(organization=org, code="economy")
    client = login(office_user)
    listed = client.get(CHANGELIST).context["cl"].result_list
    assert ours in listed  # positive control
    assert theirs not in listed
    assert client.get(change_url(theirs)).status_code == 404
    response = client.post(
        change_url(theirs),
        {"organization": org.pk, "name": "Đổi tên", "position": 1, "is_active": "on"},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.organization) == ("Kinh tế", other_org)


def test_a_field_in_use_cannot_be_deleted_but_can_be_retired(
    login, org, office_user, campaign, unit, unit_officer, during_registration
):
    registration = RegistrationFactory(campaign=campaign, unit=unit)
    economy = registration.field
    unused = Field.objects.get(organization=org, code="defence_security")
    client = login(office_user)
    delete = reverse("admin:models_registry_field_delete", args=[economy.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Field.objects.filter(pk=economy.pk).exists()
    deleted = client.post(
        reverse("admin:models_registry_field_delete", args=[unused.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not Field.objects.filter(pk=unused.pk).exists()

    economy.is_active = False
    economy.save()
    officer = login(unit_officer)
    new_form = officer.get(reverse("models_registry:create") + f"?campaign={campaign.pk}").context[
        "form"
    ]
    assert economy not in new_form.fields["field"].queryset
    edit_form = officer.get(reverse("models_registry:edit", args=[registration.pk])).context["form"]
    assert economy in edit_form.fields["field"].queryset  # the record keeps its field


def test_a_registration_cannot_take_another_wards_field(campaign, unit, unit_officer, other_org):
    from tests.models_registry.test_services import registration_data

    theirs = Field.objects.get(organization=other_org, code="economy")
    with pytest.raises(ValidationError) as refused:
        services.registration_create(
            actor=unit_officer,
            campaign=campaign,
            unit=unit,
            data=registration_data(campaign, field=theirs),
        )
    assert "field" in refused.value.message_dict
    assert not Registration.objects.exists()


def test_the_registration_filter_offers_only_the_wards_own_fields(
    login, org, other_org, office_user
):
    Field.objects.filter(organization=other_org, code="economy").update(name="Lĩnh vực khác")
    form = login(office_user).get(reverse("models_registry:list")).context["form"]
    labels = [label for _value, label in form.fields["field"].choices]
    assert "Kinh tế" in labels
    assert "Lĩnh vực khác" not in labels


def test_the_field_changelist_takes_as_many_queries_for_three_rows_as_for_one(
    login, org, office_user, queries_for
):
    Field.objects.filter(organization=org).exclude(code="economy").delete()
    client = login(office_user)
    one = queries_for(client, CHANGELIST)
    Field.objects.create(organization=org, name="Thứ hai", position=2)
    Field.objects.create(organization=org, name="Thứ ba", position=3)
    assert queries_for(client, CHANGELIST) == one
