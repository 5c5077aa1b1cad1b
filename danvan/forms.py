"""Form pieces shared by every app.

Every form of the portal and of its back office is a ``PortalForm`` or a
``PortalModelForm`` (``tests/test_forms.py`` checks it), so these checks hold for every
field of a kind, declared, generated from a model or added in ``__init__``:

- text: line breaks arrive as "\\n" (browsers send "\\r\\n"), and the other C0 control
  characters (tab and line feed excepted) are refused;
- whole and decimal numbers: only the digits 0-9 (Python, so Django, would read "١٢" or
  full-width "１２" as 12);
- dates: within a sensible range, so a mistyped year 1 or 9999 never reaches a service.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.text import (
    control_characters,
    natural_sort_key,
    normalize_newlines,
    thousands,
    without_control_characters,
)

# Lists whose rows a person picks by name, in natural order ("Tổ dân phố số 2" before
# "số 10", accents ignored) rather than the database's.
NATURAL_ORDER_MODELS = frozenset({"accounts.Unit"})

# Dates of what the portal records (campaigns, registrations, inspections, meetings...)
# lie after the earliest date and at most YEARS_AHEAD years ahead.
EARLIEST_DATE = date(2000, 1, 1)
# Documents a plan cites as its legal basis may be older: no earlier than the founding
# of the Democratic Republic of Viet Nam.
EARLIEST_DOCUMENT_DATE = date(1945, 9, 2)
YEARS_AHEAD = 10

ASCII_DIGITS = frozenset("0123456789")


FILES_NOT_KEPT = _(
    "Tệp đã chọn chưa được lưu vì phiếu còn lỗi; hãy chọn lại tệp trước khi gửi lại."
)


def show_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on the fields it names (where
    the form has them), the rest at the top. The form keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)
    if isinstance(form, PortalFormMixin):
        form.note_files_not_kept()


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line, for a message after a button (no form to show it on)."""
    return " ".join(error.messages)


class DateInput(forms.DateInput):
    """A date shown and typed as Vietnamese write it, dd/mm/yyyy (19/03/2024). Not the
    browser's date box, which shows the browser's own order (mm/dd/yyyy on an English
    phone). The field also reads d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and yyyy-mm-dd (the
    formats of ``danvan/formats``), and eight digits as ddmmyyyy: a phone's number pad
    (``inputmode="numeric"``; an iPhone's has no "/") types "19032024"."""

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {"inputmode": "numeric", "placeholder": "dd/mm/yyyy", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str):
            typed = value.strip()
            if len(typed) == 8 and typed.isascii() and typed.isdigit():
                return f"{typed[:2]}/{typed[2:4]}/{typed[4:]}"
        return value


def validate_printable(value: str) -> None:
    """Refuse the control characters of danvan.text.control_characters."""
    if not isinstance(value, str):
        return  # a text field that gives a number (points) has checked its own input
    found = control_characters(value)
    if found:
        raise ValidationError(
            _(
                "Nội dung có ký tự điều khiển không in được (%(codes)s), thường do dán từ "
                "phần mềm khác. Ô này đã được bỏ các ký tự đó: hãy kiểm tra lại rồi gửi."
            ),
            code="control_characters",
            params={"codes": ", ".join(f"U+{ord(ch):04X}" for ch in found)},
        )


class DateRangeValidator:
    """A date (or the date of a datetime) between ``earliest`` and YEARS_AHEAD years from today."""

    def __init__(self, earliest: date):
        self.earliest = earliest

    def __call__(self, value) -> None:
        day = value.date() if isinstance(value, datetime) else value
        latest = date(timezone.localdate().year + YEARS_AHEAD, 12, 31)
        if not self.earliest <= day <= latest:
            raise ValidationError(
                _(
                    "Ngày %(value)s nằm ngoài khoảng hợp lý (từ %(earliest)s đến "
                    "%(latest)s); hãy kiểm tra lại năm."
                ),
                code="date_range",
                params={
                    "value": f"{day:%d/%m}/{day.year:04d}",
                    "earliest": f"{self.earliest:%d/%m/%Y}",
                    "latest": f"{latest:%d/%m/%Y}",
                },
            )


def _ascii_digits_only(to_python):
    def checked(value):
        if isinstance(value, str) and any(
            ch.isdecimal() and ch not in ASCII_DIGITS for ch in value
        ):
            raise ValidationError(_("Hãy gõ số bằng các chữ số 0–9 thông thường."), code="digits")
        return to_python(value)

    return checked


def _is_text(field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


class PortalBoundField(forms.BoundField):
    @property
    def data(self):
        data = super().data
        if isinstance(data, str) and _is_text(self.field):
            return normalize_newlines(data)
        return data

    def value(self):
        # Shown again without the refused characters: they are invisible, so the user
        # could not find them to delete them.
        value = super().value()
        if isinstance(value, str) and _is_text(self.field):
            return without_control_characters(value)
        return value


class NaturalOrderChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a ``ModelChoiceField`` sorted by ``natural_sort_key`` of their labels."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: natural_sort_key(str(choice[1])))


class PortalFormMixin:
    """The checks of this module's docstring, for a form class of any kind; and lists of
    units (``NATURAL_ORDER_MODELS``) in natural order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model._meta.label in NATURAL_ORDER_MODELS:
                field.iterator = NaturalOrderChoiceIterator

    bound_field_class = PortalBoundField
    #: Date fields holding the date of a cited document, which may be older than EARLIEST_DATE.
    document_date_fields: tuple[str, ...] = ()

    def full_clean(self):
        for name, field in self.fields.items():
            self._guard(name, field)
        super().full_clean()
        self.note_files_not_kept()

    def note_files_not_kept(self) -> None:
        """A browser never sends chosen files again: when the form comes back with
        errors, each file field that had files says that they were not saved, so that
        nobody sends the form without them unawares."""
        if not self.is_bound or not self.files or not self._errors:
            return
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            chosen = (
                self.files.getlist(key) if hasattr(self.files, "getlist") else [self.files.get(key)]
            )
            if isinstance(field, forms.FileField) and name not in self._errors and any(chosen):
                self.add_error(name, FILES_NOT_KEPT)

    def _guard(self, name, field) -> None:
        if getattr(field, "portal_guarded", False):
            return
        field.portal_guarded = True
        if _is_text(field):
            field.validators.append(validate_printable)
        elif isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
            field.to_python = _ascii_digits_only(field.to_python)
        elif isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
            earliest = (
                EARLIEST_DOCUMENT_DATE if name in self.document_date_fields else EARLIEST_DATE
            )
            field.validators.append(DateRangeValidator(earliest))


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


class FingerprintedFormMixin:
    """For a record without a version column edited in the back office (a person, a
    unit): the form carries a fingerprint of the record's fields as the page showed them;
    saving over a record someone changed meanwhile is refused (``StaleEdit``'s words),
    keeping what was typed, instead of silently undoing their change. The subclass
    declares ``fingerprint = FINGERPRINT_FIELD``; the admin lists it among its fields."""

    unfingerprinted = frozenset({"password", "fingerprint"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["fingerprint"] = self._fingerprint()

    def _fingerprint(self) -> str:
        import hashlib

        names = sorted(
            field.attname
            for field in self.instance._meta.concrete_fields
            if field.name in self.fields and field.name not in self.unfingerprinted
        )
        values = repr([(name, getattr(self.instance, name)) for name in names])
        return hashlib.sha256(values.encode()).hexdigest()[:32]

    def clean(self):
        cleaned = super().clean()
        sent = self.data.get(self.add_prefix("fingerprint"))
        # Before the form's values are put on it, the instance is the record as stored.
        if self.instance.pk and sent and sent != self._fingerprint():
            from danvan.workflow import StaleEdit

            raise StaleEdit
        return cleaned


def fingerprint_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, required=False)


class VersionedForm(PortalModelForm):
    """Carries the version the user started from, so a concurrent edit is refused, not lost."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def apply_service_error(self, error) -> None:
        show_service_error(self, error)


# An amount in đồng as Vietnamese write it: plain digits ("20000000"), or groups of three
# after the first, separated by dots or spaces ("20.000.000", "20 000 000"); a trailing
# "đ", "đồng" or "VND" is allowed. Commas are refused: in Vietnamese a comma is the
# decimal mark, so "20,000,000" could mean twenty million or twenty, and amounts in đồng
# are whole. See docs/forms.md.
_MONEY_UNIT = re.compile(r"\s*(đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_MONEY_PLAIN = re.compile(r"\d+")
_MONEY_GROUPED = re.compile(r"\d{1,3}([. ]\d{3})+")


class MoneyInput(forms.TextInput):
    """A text box with the phone's digit keyboard. Not ``type="number"``: a browser's
    number box reads "20.000.000" as a decimal and sends "20.000000", that is 20."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


def _whole_number(value: str) -> int | None:
    """The whole number written as plain digits or in groups of three separated by dots
    or spaces ("1200", "1.200", "1 200"), or None."""
    if _MONEY_PLAIN.fullmatch(value):
        return int(value)
    if _MONEY_GROUPED.fullmatch(value):
        return int(value.replace(".", "").replace(" ", ""))
    return None


def parse_money(text: str) -> int:
    """The whole number of đồng ``text`` writes, or ``ValidationError`` with a message
    saying how to write it."""
    value = _MONEY_UNIT.sub("", text.replace("\u00a0", " ").strip()).strip()
    if (number := _whole_number(value)) is not None:
        return number
    if "," in value:
        raise ValidationError(
            _(
                "Số tiền “%(value)s” có dấu phẩy, là dấu thập phân trong tiếng Việt: hãy ghi "
                "số đồng không có dấu phẩy, ví dụ 20.000.000 hoặc 20000000."
            ),
            code="money_comma",
            params={"value": text},
        )
    raise ValidationError(
        _(
            "Số tiền “%(value)s” không đúng cách ghi: hãy ghi các chữ số, có thể tách hàng "
            "nghìn bằng dấu chấm (mỗi nhóm sau dấu chấm đủ 3 chữ số), ví dụ 20.000.000 hoặc "
            "20000000."
        ),
        code="money_format",
        params={"value": text},
    )


def _is_money_widget(widget) -> bool:
    kinds = MoneyInput | forms.HiddenInput
    return isinstance(widget, kinds) or (isinstance(widget, type) and issubclass(widget, kinds))


class _WholeNumberField(forms.IntegerField):
    """A whole number typed as Vietnamese write it, in a text box with the phone's digit
    keyboard, and shown with dots between thousands, as are its limits."""

    widget = MoneyInput
    max_value_message = _("Số không được quá %(limit)s.")
    min_value_message = _("Số không được dưới %(limit)s.")

    default_max_value: int

    def __init__(self, *, min_value=0, max_value=None, limit=None, **kwargs):
        kwargs.setdefault("localize", False)
        # The admin gives whole-number columns its number box; these keep their own.
        widget = kwargs.get("widget")
        if widget is not None and not _is_money_widget(widget):
            kwargs["widget"] = MoneyInput
        # A model's column offers its database's limit (9.223.372.036.854.775.807 for a
        # big integer): the field's own, far below it, is the one to say. ``limit`` is a
        # caller's own, said as it is.
        if limit is None:
            limit = min(max_value or self.default_max_value, self.default_max_value)
        super().__init__(min_value=min_value, max_value=limit, **kwargs)
        self.error_messages["max_value"] = self.max_value_message
        self.error_messages["min_value"] = self.min_value_message

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            for each in error.error_list:
                if each.code in {"max_value", "min_value"}:
                    each.params = {
                        **(each.params or {}),
                        "limit": thousands(each.params["limit_value"]),
                    }
            raise

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        return self.parse(str(value))

    def parse(self, text: str) -> int:
        raise NotImplementedError

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return thousands(value)
        return value


class MoneyField(_WholeNumberField):
    """An amount in đồng, typed as Vietnamese write it (``parse_money``) and shown with
    dots between thousands. Every money field of the portal and its back office is one
    (``tests/test_forms.py`` checks the fields named ``*_vnd``)."""

    default_max_value = 10**15  # a thousand trillion đồng: beyond any budget
    # The limits as amounts are written, "1.000.000.000.000.000 đồng", not as raw digits.
    max_value_message = _("Số tiền không được quá %(limit)s đồng.")
    min_value_message = _("Số tiền không được dưới %(limit)s đồng.")

    def parse(self, text: str) -> int:
        return parse_money(text)


class CountField(_WholeNumberField):
    """A count (people, households, workdays) typed as Vietnamese write numbers: "1200",
    "1.200" or "1 200". Not a browser's number box, which reads "1.000" as one."""

    default_max_value = 10**9  # a billion: beyond any count of a commune

    def parse(self, text: str) -> int:
        text = text.replace("\u00a0", " ").strip()
        if (number := _whole_number(text)) is not None:
            return number
        raise ValidationError(
            _(
                "“%(value)s” không phải là một số đếm: hãy ghi các chữ số, có thể tách hàng "
                "nghìn bằng dấu chấm, ví dụ 1.200 hoặc 1200."
            ),
            code="count_format",
            params={"value": text[:20]},
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos from a phone); cleans to a list, empty if none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        for item in items:
            if getattr(item, "size", None) == 0:
                # Django's own message does not say which of several files it is.
                raise ValidationError(
                    _("Tệp “%(name)s” rỗng (0 byte); hãy chọn lại tệp."),
                    code="empty",
                    params={"name": item.name},
                )
        if not items and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ReasonForm(PortalForm):
    """Why: returning, rejecting, withdrawing, revoking. Whether a reason is required is
    the service's to say (see danvan.workflow.Move.needs_reason)."""

    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    @classmethod
    def for_item(cls, key, **kwargs) -> "ReasonForm":
        """One of several on a page (one per button or row): ids stay unique."""
        return cls(auto_id=f"id_reason_{key}_%s", **kwargs)


class RegisterNumberForm(PortalForm):
    """The number the văn thư gives a document from the register, typed at issue time by
    an organisation that numbers from its register (``Organization.numbers_from_register``)."""

    number = forms.IntegerField(
        label=_("Số văn bản (theo sổ đăng ký của văn thư)"),
        min_value=1,
        max_value=99_999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = required
