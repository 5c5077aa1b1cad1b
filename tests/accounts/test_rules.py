import pytest

from danvan.accounts import rules as account_rules
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


class Thing:
    """Any record of an organisation and one of its units."""

    def __init__(self, unit):
        self.organization_id = unit.organization_id
        self.unit_id = unit.pk


def test_unit_officer_predicate_holds_for_their_own_unit_only(
    unit_officer, other_unit_officer, unit
):
    thing = Thing(unit)
    assert account_rules.is_officer_of_unit(unit_officer, thing)
    assert not account_rules.is_officer_of_unit(other_unit_officer, thing)


def test_roles_count_only_in_the_organisation_of_the_object(office_user, outsider, org, other_org):
    assert account_rules.is_office(office_user, org)
    assert not account_rules.is_office(office_user, other_org)
    assert account_rules.is_office(outsider, other_org)
    assert not account_rules.is_office(outsider, org)
    assert not account_rules.is_member(outsider, Thing(UnitFactory(organization=org)))


def test_signing_roles_are_the_chairman_and_vice_chairmen(
    chairman, vice_chairman, office_user, org
):
    assert account_rules.is_signer(chairman, org)
    assert account_rules.is_signer(vice_chairman, org)
    assert not account_rules.is_signer(office_user, org)
    assert account_rules.is_chairman(chairman, org)
    assert not account_rules.is_chairman(vice_chairman, org)


def test_registered_permissions_follow_the_predicates(viewer, office_user, outsider, org):
    assert viewer.has_perm("accounts.view_organization", org)
    assert not viewer.has_perm("accounts.change_organization", org)
    assert office_user.has_perm("accounts.change_organization", org)
    assert not outsider.has_perm("accounts.view_organization", org)


def test_nothing_is_granted_without_an_object(viewer):
    assert not account_rules.is_member(viewer, None)
    assert not account_rules.is_officer_of_unit(viewer, None)


def test_superusers_count_as_office_staff_of_every_organisation(superuser, org, other_org):
    for organization in (org, other_org):
        assert account_rules.is_office(superuser, organization)
        assert account_rules.is_member(superuser, organization)
        assert account_rules.is_back_office(superuser, organization)


def test_superusers_never_sign_register_or_score(superuser, org, unit):
    assert not account_rules.is_signer(superuser, org)
    assert not account_rules.is_chairman(superuser, org)
    assert not account_rules.is_evaluator(superuser, org)
    assert not account_rules.is_officer_of_unit(superuser, Thing(unit))


def test_has_perm_gives_superusers_no_shortcut_past_the_rules(superuser, chairman, org):
    from campaigns.models import Campaign
    from tests.factories import CampaignFactory

    draft = CampaignFactory(organization=org, status=Campaign.Status.DRAFT)
    assert not superuser.has_perm("campaigns.issue_campaign", draft)
    assert chairman.has_perm("campaigns.issue_campaign", draft)
    assert superuser.has_perm("campaigns.change_campaign", draft)


def test_a_vice_chairman_signs_for_the_chairman_unless_also_chairman(chairman, vice_chairman, org):
    from tests.factories import MembershipFactory

    assert account_rules.signs_for_chairman(vice_chairman, org)
    assert not account_rules.signs_for_chairman(chairman, org)
    MembershipFactory(user=vice_chairman, organization=org, role="chairman")
    from danvan.accounts.selectors import forget_memberships

    forget_memberships(vice_chairman)
    assert not account_rules.signs_for_chairman(vice_chairman, org)
