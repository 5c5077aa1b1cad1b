"""The checks every form of the portal shares (danvan/forms.py), and that every form has them."""

import importlib
from datetime import date

import pytest
import time_machine
from django import forms
from django.contrib import admin
from django.urls import reverse

from danvan.accounts.models import Unit
from danvan.forms import DateInput, PortalForm, PortalFormMixin, PortalModelForm

PROJECT = ("danvan", "campaigns", "models_registry", "evaluations", "awards", "reports")
FORM_MODULES = [
    "danvan.forms",
    "danvan.accounts.forms",
    "danvan.accounts.admin",
    "campaigns.forms",
    "models_registry.forms",
    "evaluations.forms",
    "awards.forms",
    "reports.forms",
]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_project_has_the_portal_checks():
    for name in FORM_MODULES:
        importlib.import_module(name)
    ours = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PROJECT and not cls.__module__.startswith("tests")
    }
    assert len(ours) > 30  # the walk found the project's forms
    without = sorted(
        f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, PortalFormMixin)
    )
    assert without == []


def test_every_back_office_form_has_the_portal_checks():
    checked = 0
    for model_admin in admin.site._registry.values():
        if type(model_admin).__module__.split(".")[0] not in PROJECT:
            continue  # third-party admins (login attempts) have no forms to fill in
        form_classes = [model_admin.form, getattr(model_admin, "add_form", None)]
        form_classes += [inline.form for inline in model_admin.inlines]
        for form_class in filter(None, form_classes):
            assert issubclass(form_class, PortalFormMixin), (type(model_admin), form_class)
            checked += 1
    assert checked > 20


class NoteForm(PortalForm):
    title = forms.CharField(max_length=100)
    body = forms.CharField(widget=forms.Textarea, required=False)
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False)
    held_on = forms.DateField(required=False, widget=DateInput)
    password = forms.CharField(widget=forms.PasswordInput, required=False)


class LateFieldForm(PortalForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_late"] = forms.CharField()


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"])
def test_text_with_a_control_character_is_refused_and_the_rest_is_kept(control):
    form = NoteForm({"title": f"Mô hình{control} hay", "body": "Nội dung", "count": "3"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"]
    assert any(f"U+{ord(control):04X}" in error for error in form.errors["title"])
    assert form.cleaned_data["body"] == "Nội dung"
    assert form.cleaned_data["count"] == 3
    # Shown again without the invisible character, so sending again works.
    assert 'value="Mô hình hay"' in str(form["title"])


def test_tabs_and_line_breaks_are_text_and_carriage_returns_become_line_breaks():
    form = NoteForm({"title": "Cột\tmột", "body": "Dòng 1\r\nDòng 2\rDòng 3\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Cột\tmột"
    assert form.cleaned_data["body"] == "Dòng 1\nDòng 2\nDòng 3"


def test_a_field_added_after_the_form_is_made_is_checked_too():
    form = LateFieldForm({"added_late": "a\x07b"})
    assert not form.is_valid()
    assert "U+0007" in form.errors["added_late"][0]


def test_passwords_are_left_as_typed():
    form = NoteForm({"title": "A", "password": "mật\x07khẩu\r\n1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["password"] == "mật\x07khẩu\r\n1"


@pytest.mark.parametrize(
    ("field", "typed"),
    [("count", "١٢"), ("count", "１２"), ("count", "۱۲"), ("amount", "７.５"), ("amount", "٧.٥")],
)
def test_numbers_in_other_digits_are_refused(field, typed):
    form = NoteForm({"title": "A", field: typed})
    assert not form.is_valid()
    assert form.errors[field] == ["Hãy gõ số bằng các chữ số 0–9 thông thường."]


def test_numbers_in_ascii_digits_are_read():
    form = NoteForm({"title": "A", "count": " 12 ", "amount": "7.5"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 12
    assert str(form.cleaned_data["amount"]) == "7.5"


@pytest.mark.parametrize("typed", ["0001-01-01", "1999-12-31", "9999-12-31", "2036-01-01"])
def test_dates_outside_the_sensible_range_are_refused(typed):
    with time_machine.travel(date(2025, 6, 1), tick=False):
        form = NoteForm({"title": "A", "held_on": typed})
        assert not form.is_valid()
    assert "nằm ngoài khoảng hợp lý (từ 01/01/2000 đến 31/12/2035)" in form.errors["held_on"][0]


@pytest.mark.parametrize("typed", ["2000-01-01", "2025-06-01", "2035-12-31"])
def test_dates_inside_the_range_are_accepted(typed):
    with time_machine.travel(date(2025, 6, 1), tick=False):
        form = NoteForm({"title": "A", "held_on": typed})
        assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_a_cited_document_may_be_older_than_the_portals_own_dates():
    from campaigns.forms import LegalBasisForm

    data = {"kind": "Luật", "number": "15/2003/QH11", "title": "Luật Thi đua, Khen thưởng"}
    assert LegalBasisForm({**data, "issued_on": "2003-11-26"}).is_valid()
    too_old = LegalBasisForm({**data, "issued_on": "1900-01-01"})
    assert not too_old.is_valid()
    assert "từ 02/09/1945" in too_old.errors["issued_on"][0]


class UnitForm(PortalModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind"]


@pytest.mark.django_db
def test_model_forms_have_the_checks():
    form = UnitForm({"name": "Hội\x07 Nông dân", "short_name": "HND", "kind": "front"})
    assert not form.is_valid()
    assert "U+0007" in form.errors["name"][0]


@pytest.mark.django_db
def test_the_back_office_refuses_control_characters_and_changes_nothing(login, office_user, unit):
    response = login(office_user).post(
        reverse("admin:accounts_unit_change", args=[unit.pk]),
        {"name": "Ủy ban\x1b MTTQ", "short_name": "MTTQ", "kind": unit.kind},
    )
    assert response.status_code == 200
    assert "U+001B" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "Ủy ban MTTQ Việt Nam phường"


def test_a_form_given_its_files_as_a_plain_dict_says_they_were_not_kept_too():
    from django.core.files.uploadedfile import SimpleUploadedFile

    class ReportForm(PortalForm):
        text = forms.CharField()
        report = forms.FileField(required=False)

    form = ReportForm({"text": ""}, {"report": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4")})
    assert not form.is_valid()
    assert form.errors["report"] == [
        "Tệp đã chọn chưa được lưu vì phiếu còn lỗi; hãy chọn lại tệp trước khi gửi lại."
    ]
