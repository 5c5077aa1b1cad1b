"""Factories for every model; tests build their world from these."""

import factory
from factory.django import DjangoModelFactory

from danvan.accounts.models import Membership, Organization, Unit, User

PASSWORD = "mật-khẩu-thử-nghiệm-2024"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Ủy ban nhân dân phường Thử Nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"UBND phường Thử Nghiệm {n}")
    code = factory.Sequence(lambda n: f"thu-nghiem-{n}")
    kind = Organization.Kind.WARD
    province = "Quảng Ngãi"
    place_name = factory.Sequence(lambda n: f"Thử Nghiệm {n}")
    header_name = factory.Sequence(lambda n: f"ỦY BAN NHÂN DÂN\nPHƯỜNG THỬ NGHIỆM {n}")
    symbol = "UBND"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"ĐV{n}")
    kind = Unit.Kind.FRONT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    phone = "0255 3812 345"
    position_title = "Chuyên viên"
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.VIEWER
    unit = None


def member(organization, role, unit=None, **user_fields) -> User:
    """A new user holding ``role`` in ``organization`` (and ``unit``)."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role, unit=unit)
    return user
