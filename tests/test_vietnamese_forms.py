"""Forms that fit Vietnamese habits: dates as dd/mm/yyyy, units in natural order."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from danvan.accounts.models import Unit
from danvan.forms import DateInput, PortalForm
from danvan.text import natural_sort_key
from tests.factories import UnitFactory, member


class MeetingForm(PortalForm):
    held_on = forms.DateField(widget=DateInput)


def test_a_date_is_shown_as_day_month_year_in_a_text_box():
    html = str(MeetingForm(initial={"held_on": date(2024, 3, 19)})["held_on"])
    assert 'value="19/03/2024"' in html
    assert 'type="text"' in html
    assert 'placeholder="dd/mm/yyyy"' in html


@pytest.mark.parametrize(
    "typed", ["19/03/2024", "19/3/2024", "19-03-2024", "19.03.2024", "2024-03-19", " 19032024 "]
)
def test_a_date_is_read_as_day_month_year(typed):
    form = MeetingForm({"held_on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == date(2024, 3, 19)


@pytest.mark.parametrize("typed", ["1932024", "190324", "031920244"])
def test_digits_that_are_not_a_whole_day_month_year_are_refused_not_guessed(typed):
    form = MeetingForm({"held_on": typed})
    assert not form.is_valid()
    assert f'value="{typed}"' in str(form["held_on"])


def test_a_date_in_month_day_order_is_refused_not_swapped():
    form = MeetingForm({"held_on": "03/19/2024"})
    assert not form.is_valid()
    assert 'value="03/19/2024"' in str(form["held_on"])


def test_units_sort_naturally_and_ignore_accents():
    names = [
        "Tổ dân phố số 10",
        "Tổ dân phố số 2",
        "Đoàn Thanh niên",
        "Ủy ban MTTQ",
        "Tổ dân phố số 1",
        "Công an phường",
        "Hội Cựu chiến binh",
    ]
    assert sorted(names, key=natural_sort_key) == [
        "Công an phường",
        "Đoàn Thanh niên",
        "Hội Cựu chiến binh",
        "Tổ dân phố số 1",
        "Tổ dân phố số 2",
        "Tổ dân phố số 10",
        "Ủy ban MTTQ",
    ]


class UnitForm(PortalForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), empty_label="—")


@pytest.mark.django_db
def test_unit_choices_are_listed_in_natural_order(org):
    for name in ["Tổ dân phố số 10", "Tổ dân phố số 2", "Ủy ban MTTQ", "Đoàn Thanh niên"]:
        UnitFactory(organization=org, name=name)
    form = UnitForm()
    form.fields["unit"].queryset = Unit.objects.filter(organization=org)
    labels = [str(label) for _value, label in form.fields["unit"].choices]
    assert labels == ["—", "Đoàn Thanh niên", "Tổ dân phố số 2", "Tổ dân phố số 10", "Ủy ban MTTQ"]


@pytest.mark.django_db
def test_the_directory_lists_units_in_natural_order(org, office_user, login):
    for name in ["Tổ dân phố số 10", "Tổ dân phố số 2"]:
        member(org, "unit_officer", unit=UnitFactory(organization=org, name=name))
    html = login(office_user).get(reverse("inbox:directory")).content.decode()
    assert html.index("Tổ dân phố số 2") < html.index("Tổ dân phố số 10")
