"""Money fields: amounts in đồng typed as Vietnamese write them (danvan.forms.MoneyField)."""

import importlib

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from danvan.forms import MoneyField, PortalForm, parse_money
from tests.factories import UserFactory
from tests.test_forms import FORM_MODULES, PROJECT, _subclasses


class AmountForm(PortalForm):
    amount = MoneyField(label="Kinh phí (đồng)")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20.000.000", 20_000_000),
        ("20000000", 20_000_000),
        ("20 000 000", 20_000_000),
        ("20\u00a0000\u00a0000", 20_000_000),
        (" 1.755.000 đ", 1_755_000),
        ("2.530.000 đồng", 2_530_000),
        ("500.000 VND", 500_000),
        ("0", 0),
        ("20.000", 20_000),
    ],
)
def test_money_is_read_with_dots_spaces_or_plain_digits(typed, stored):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == stored


def test_a_comma_is_refused_because_it_is_the_vietnamese_decimal_mark():
    form = AmountForm({"amount": "20,000,000"})
    assert not form.is_valid()
    assert "dấu phẩy" in form.errors["amount"][0]
    assert 'value="20,000,000"' in str(form["amount"])  # what was typed stays


@pytest.mark.parametrize("typed", ["2.0.0", "20.00.000", "20.0000", ".000", "20..000", "2tr", "-5"])
def test_malformed_amounts_are_refused_with_a_vietnamese_message(typed):
    form = AmountForm({"amount": typed})
    assert not form.is_valid()
    message = form.errors["amount"][0]
    assert "không đúng cách ghi" in message or "lớn hơn hoặc bằng" in message
    assert f'value="{typed}"' in str(form["amount"])


def test_full_width_digits_are_refused():
    assert not AmountForm({"amount": "２０.０００"}).is_valid()


def test_parse_money_names_the_rule():
    with pytest.raises(ValidationError) as caught:
        parse_money("2.0.0")
    assert "20.000.000" in caught.value.messages[0]


def test_a_money_field_is_a_text_box_with_the_digit_keyboard_and_shows_dots():
    form = AmountForm(initial={"amount": 20_000_000})
    html = str(form["amount"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'value="20.000.000"' in html


@pytest.mark.django_db
def test_every_money_field_of_the_portal_and_back_office_is_a_money_field():
    for name in FORM_MODULES:
        importlib.import_module(name)
    found = []
    form_classes = [
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PROJECT and not cls.__module__.startswith("tests")
    ]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.build(is_superuser=True)
    request.organization = None
    for model_admin in admin.site._registry.values():
        if type(model_admin).__module__.split(".")[0] in PROJECT:
            # The form the back office really shows, with the admin's own widgets.
            form_classes.append(model_admin.get_form(request))
    for form_class in form_classes:
        for name, field in getattr(form_class, "base_fields", {}).items():
            if name.endswith("_vnd"):
                assert isinstance(field, MoneyField), (form_class, name)
                assert field.widget.input_type == "text", (form_class, name)
                found.append(name)
    assert {"budget_vnd", "contributions_vnd", "money_raised_vnd", "amount_vnd", "step_vnd"} <= set(
        found
    )


def test_an_amount_beyond_the_limit_is_refused_with_the_limit_written_as_an_amount():
    field = MoneyField()
    with pytest.raises(ValidationError) as refused:
        field.clean("99.999.999.999.999.999")
    assert refused.value.messages == ["Số tiền không được quá 1.000.000.000.000.000 đồng."]
    with pytest.raises(ValidationError) as refused:
        MoneyField(min_value=1_000).clean("500")
    assert refused.value.messages == ["Số tiền không được dưới 1.000 đồng."]
