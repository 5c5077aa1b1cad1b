"""The filters of the lists: by campaign, status, field, unit and date.

Ids are whole numbers; a value that is not one, or a date that is not ISO 8601
(2025-03-31), is a 400 with the parameter named in ``error.fields``.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from awards.models import Award, AwardDecision, Nomination
from campaigns.models import Campaign
from evaluations.models import Inspection, Round
from models_registry.models import Registration

BIGINT_MAX = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGINT_MAX})
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=9999, **kwargs)


class StrictFilterSet(django_filters.FilterSet):
    """A parameter given empty (``?status=``) is an error, not "no filter": a program
    that sends one has a bug it should hear about."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, _("Giá trị không được để trống."))
                valid = False
        return valid


def organization_filter() -> IdFilter:
    """``?organization=``: one of the token's organisations (a province's token: the
    province or one of its communes). Another organisation finds nothing, as every
    filter naming rows outside the token's scope does."""
    return IdFilter(
        field_name="organization_id",
        label="One of the token's organisations (a province's token: the province or one of "
        "its communes)",
    )


def date_range(field_name: str, what: str):
    return (
        django_filters.DateFilter(
            field_name=field_name, lookup_expr="gte", label=f"{what} on or after (YYYY-MM-DD)"
        ),
        django_filters.DateFilter(
            field_name=field_name, lookup_expr="lte", label=f"{what} on or before (YYYY-MM-DD)"
        ),
    )


class CampaignFilter(StrictFilterSet):
    organization = organization_filter()
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.value) for s in Campaign.Status if s != Campaign.Status.DRAFT]
    )
    year = YearFilter(label="Year of the campaign")
    kind = django_filters.ChoiceFilter(choices=[(k.value, k.value) for k in Campaign.Kind])
    date_from, date_to = date_range("plan_issue_date", "Plan issued")

    class Meta:
        model = Campaign
        fields = []


class RegistrationFilter(StrictFilterSet):
    organization = organization_filter()
    campaign = IdFilter(field_name="campaign_id")
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.value) for s in Registration.Status if s != Registration.Status.DRAFT]
    )
    field = IdFilter(field_name="field_id")
    unit = IdFilter(field_name="unit_id")
    date_from, date_to = date_range("submitted_at__date", "Submitted")

    class Meta:
        model = Registration
        fields = []


class RoundFilter(StrictFilterSet):
    organization = organization_filter()
    campaign = IdFilter(field_name="campaign_id")
    status = django_filters.ChoiceFilter(choices=[(s.value, s.value) for s in Round.Status])
    kind = django_filters.ChoiceFilter(choices=[(k.value, k.value) for k in Round.Kind])
    date_from, date_to = date_range("starts_on", "Starting")

    class Meta:
        model = Round
        fields = []


class ResultFilter(StrictFilterSet):
    field = IdFilter(field_name="registration__field_id")
    unit = IdFilter(field_name="registration__unit_id")

    class Meta:
        model = Inspection
        fields = []


class NominationFilter(StrictFilterSet):
    organization = organization_filter()
    campaign = IdFilter(field_name="campaign_id")
    status = django_filters.ChoiceFilter(choices=[(s.value, s.value) for s in Nomination.Status])
    kind = django_filters.ChoiceFilter(choices=[(k.value, k.value) for k in Nomination.Kind])
    unit = IdFilter(field_name="unit_id")
    field = IdFilter(field_name="registration__field_id", label="Field of the nominated model")
    date_from, date_to = date_range("created_at__date", "Proposed")

    class Meta:
        model = Nomination
        fields = []


class DecisionFilter(StrictFilterSet):
    organization = organization_filter()
    campaign = IdFilter(field_name="campaign_id")
    date_from, date_to = date_range("decided_on", "Decided")

    class Meta:
        model = AwardDecision
        fields = []


class AwardFilter(StrictFilterSet):
    organization = organization_filter()
    campaign = IdFilter(field_name="decision__campaign_id")
    decision = IdFilter(field_name="decision_id")
    unit = IdFilter(field_name="nomination__unit_id")
    status = django_filters.ChoiceFilter(
        choices=[("current", "current"), ("revoked", "revoked"), ("superseded", "superseded")],
        method="filter_status",
        label="current: neither revoked nor replaced; revoked; superseded (its decision was replaced)",
    )
    date_from, date_to = date_range("decision__decided_on", "Decided")

    class Meta:
        model = Award
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "superseded":
            return queryset.filter(superseded=True)
        return queryset.filter(revoked_at__isnull=True, superseded=False)
