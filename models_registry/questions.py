"""The questions of a campaign's registration form, and how an answer reads.

A registration has its own columns for the standard questions (``STANDARD``, in the order
of the common paper form); a campaign's form (``FormQuestion`` rows) shows, hides,
renames, reorders and requires them, and adds questions of its own, whose answers are
kept in ``Registration.answers``. Everything that shows a registration — the form, the
detail page, the list, the Excel export, the registration form document and the search
— goes through ``questions_for`` so that it follows the campaign's form.

    for question in questions_for(campaign):
        if question.shown:
            print(question.label, answer_text(registration, question))
"""

from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from danvan.text import thousands, vnd
from models_registry.models import FormQuestion, Registration

Kind = FormQuestion.Kind
EXTRA_KIND_CHOICES = (Kind.TEXT, Kind.LONG_TEXT, Kind.NUMBER)
EXTRA_KINDS = tuple(kind.value for kind in EXTRA_KIND_CHOICES)
# The longest answer an added text question takes (a long text, ten pages of it).
EXTRA_TEXT_LIMIT = {Kind.TEXT: 300, Kind.LONG_TEXT: 20_000}
EXTRA_NUMBER_LIMIT = 10**15


@dataclass(frozen=True)
class Standard:
    """A question the registration has a column (or child rows) for. ``kind`` says how it
    is asked and shown: text, long_text, money, integer, date, field, owner, partners,
    milestones."""

    key: str
    label: str
    kind: str
    required: bool
    fixed: bool = False  # always asked and required (the model's name)


STANDARD = (
    Standard("name", _("Tên mô hình"), "text", True, fixed=True),
    Standard("owner", _("Chủ thể mô hình"), "owner", False),
    Standard("field", _("Lĩnh vực"), "field", True),
    Standard("situation", _("Thực trạng, lý do xây dựng mô hình"), "long_text", True),
    Standard("objectives", _("Mục tiêu"), "long_text", True),
    Standard("success_measures", _("Cách đo lường kết quả"), "long_text", True),
    Standard("content_methods", _("Nội dung, phương pháp thực hiện"), "long_text", True),
    Standard("area", _("Địa bàn thực hiện"), "text", True),
    Standard("beneficiaries", _("Đối tượng thụ hưởng"), "long_text", True),
    Standard("partners", _("Đơn vị phối hợp"), "partners", False),
    Standard("person_in_charge", _("Người phụ trách"), "text", True),
    Standard("person_in_charge_position", _("Chức vụ người phụ trách"), "text", False),
    Standard("person_in_charge_phone", _("Điện thoại người phụ trách"), "text", False),
    Standard("budget_vnd", _("Kinh phí (đồng)"), "money", False),
    Standard("contributions_vnd", _("Xã hội hóa (đồng)"), "money", False),
    Standard("workdays", _("Ngày công"), "integer", False),
    Standard("start_date", _("Ngày bắt đầu"), "date", True),
    Standard("milestones", _("Các mốc thực hiện"), "milestones", False),
    Standard("evaluation_date", _("Thời điểm đánh giá"), "date", True),
    Standard("expected_outputs", _("Kết quả dự kiến"), "long_text", True),
    Standard("sustainability", _("Tính bền vững, khả năng nhân rộng"), "long_text", True),
)
STANDARD_BY_KEY = {standard.key: standard for standard in STANDARD}
# The standard questions answered in the registration's own columns.
COLUMN_KEYS = tuple(
    standard.key
    for standard in STANDARD
    if standard.kind not in ("owner", "partners", "milestones")
)
OWNER_COLUMNS = ("owner_kind", "owner_name", "owner_position")
# Those whose text the search reads, besides the added questions.
SEARCHED_KEYS = (
    "name",
    "owner",
    "situation",
    "objectives",
    "success_measures",
    "content_methods",
    "area",
    "beneficiaries",
    "expected_outputs",
    "sustainability",
)


@dataclass(frozen=True)
class Question:
    """One question as a campaign asks it."""

    key: str
    kind: str
    label: str
    help_text: str = ""
    required: bool = False
    shown: bool = True
    position: int = 0
    partner_parts: bool = False
    extra: bool = False
    fixed: bool = False
    standard_label: str = ""

    @property
    def form_name(self) -> str:
        """The form field of the question (an added one's answers are ``answer_<key>``)."""
        return f"answer_{self.key}" if self.extra else self.key

    @property
    def is_number(self) -> bool:
        return self.kind in ("money", "integer", Kind.NUMBER)


def default_questions() -> list[Question]:
    """The standard form, as a campaign without a form of its own asks it (built once per
    language: a list page asks it for every line)."""
    language = get_language()
    cached = _DEFAULT_QUESTIONS.get(language)
    if cached is None:
        cached = _DEFAULT_QUESTIONS[language] = tuple(_default_questions())
    return list(cached)


_DEFAULT_QUESTIONS: dict[str | None, tuple[Question, ...]] = {}


def _default_questions() -> list[Question]:
    return [
        Question(
            key=standard.key,
            kind=standard.kind,
            label=str(standard.label),
            required=standard.required,
            position=(index + 1) * 10,
            fixed=standard.fixed,
            standard_label=str(standard.label),
        )
        for index, standard in enumerate(STANDARD)
    ]


def _from_row(row: FormQuestion) -> Question:
    standard = STANDARD_BY_KEY.get(row.key)
    if row.kind == Kind.STANDARD and standard is not None:
        return Question(
            key=row.key,
            kind=standard.kind,
            label=row.label or str(standard.label),
            help_text=row.help_text,
            required=standard.fixed or (row.required and row.shown),
            shown=standard.fixed or row.shown,
            position=row.position,
            partner_parts=row.partner_parts and standard.kind == "partners",
            fixed=standard.fixed,
            standard_label=str(standard.label),
        )
    return Question(
        key=row.key,
        kind=row.kind,
        label=row.label or row.key,
        help_text=row.help_text,
        required=row.required and row.shown,
        shown=row.shown,
        position=row.position,
        extra=True,
    )


def questions_from_rows(rows) -> list[Question]:
    """A campaign's questions from its ``FormQuestion`` rows, in their order; standard
    questions it has no row for are asked as standard, after the others."""
    questions = [
        _from_row(row) for row in rows if row.kind != Kind.STANDARD or row.key in STANDARD_BY_KEY
    ]
    if not questions:
        return default_questions()
    present = {question.key for question in questions}
    last = max(question.position for question in questions)
    questions += [
        replace(question, position=last + question.position)
        for question in default_questions()
        if question.key not in present
    ]
    return sorted(questions, key=lambda question: (question.position, question.key))


def questions_for(campaign) -> list[Question]:
    """Every question of ``campaign``'s form, shown or hidden, in order. Read once per
    campaign object (prefetch ``form_questions`` for many campaigns)."""
    cached = getattr(campaign, "_questions", None)
    if cached is None:
        cached = questions_from_rows(campaign.form_questions.all())
        campaign._questions = cached
    return cached


def shown_questions(campaign) -> list[Question]:
    return [question for question in questions_for(campaign) if question.shown]


def extra_questions(campaign) -> list[Question]:
    return [question for question in questions_for(campaign) if question.extra]


# Answers --------------------------------------------------------------------------


def answer_value(registration: Registration, question: Question):
    """The stored answer: a column's value, an added question's answer, or the rows."""
    if question.extra:
        return (registration.answers or {}).get(question.key)
    if question.kind == "owner":
        return registration.owner_kind
    if question.kind == "partners":
        return list(registration.partners.all())
    if question.kind == "milestones":
        return list(registration.milestones.all())
    return getattr(registration, question.key)


def owner_text(registration: Registration) -> str:
    """ "Tập thể: Hội Phụ nữ phường" or "Cá nhân: Nguyễn Thị Lan, tổ trưởng (Tổ dân phố 3)"."""
    if registration.owner_kind == Registration.Owner.INDIVIDUAL:
        person = ", ".join(
            part for part in (registration.owner_name, registration.owner_position) if part
        )
        return gettext("Cá nhân: %(person)s (%(unit)s)") % {
            "person": person,
            "unit": registration.unit.name,
        }
    return gettext("Tập thể: %(unit)s") % {"unit": registration.unit.name}


def partner_groups(registration: Registration, question: Question) -> list[tuple[str, list]]:
    """The partners as one list, or as the lead / cooperating / taking-part forces."""
    from models_registry.models import Partner

    partners = list(registration.partners.all())
    if not question.partner_parts:
        return [("", partners)] if partners else []
    return [
        (str(label), [partner for partner in partners if partner.part == value])
        for value, label in Partner.Part.choices
        if any(partner.part == value for partner in partners)
    ]


def partner_text(partner) -> str:
    return f"{partner}: {partner.role}" if partner.role else str(partner)


def answer_text(registration: Registration, question: Question) -> str:
    """The answer as one line of text (the Excel cell, the list, the search)."""
    value = answer_value(registration, question)
    if question.kind == "owner":
        return owner_text(registration)
    if question.kind == "partners":
        groups = partner_groups(registration, question)
        return "; ".join(
            (f"{label}: " if label else "") + ", ".join(partner_text(p) for p in partners)
            for label, partners in groups
        )
    if question.kind == "milestones":
        return "; ".join(f"{m.due_on:%d/%m/%Y}: {m.description}" for m in value)
    if value is None or value == "":
        return ""
    if question.kind == "money":
        return vnd(value)
    if question.is_number:
        return thousands(int(value)) if isinstance(value, int) else str(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def is_answered(registration: Registration, question: Question) -> bool:
    value = answer_value(registration, question)
    if question.kind == "owner":
        return registration.owner_kind == Registration.Owner.COLLECTIVE or bool(
            registration.owner_name
        )
    if question.kind in ("partners", "milestones"):
        return bool(value)
    if question.kind in ("money", "integer"):
        return bool(value)
    return value not in (None, "")


def missing(registration: Registration) -> list[Question]:
    """The required questions of the registration's campaign still unanswered."""
    return [
        question
        for question in questions_for(registration.campaign)
        if question.shown and question.required and not is_answered(registration, question)
    ]


def search_words(registration: Registration) -> str:
    """The text the accent-insensitive search reads: code, the standard texts, the
    individual owner and every added question's answer (hidden ones too)."""
    parts = [registration.code]
    for key in SEARCHED_KEYS:
        if key == "owner":
            parts += [registration.owner_name, registration.owner_position]
        else:
            parts.append(str(getattr(registration, key) or ""))
    parts += [
        str(value) for value in (registration.answers or {}).values() if value not in (None, "")
    ]
    return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Answer:
    """A question and its answer, as the detail page shows it."""

    question: Question
    text: str
    groups: tuple = ()  # partners: (force, partners); milestones: (("", milestones),)

    @property
    def multiline(self) -> bool:
        return self.question.kind in ("long_text", Kind.LONG_TEXT)


def answers_of(registration: Registration) -> tuple[list[Answer], list[Answer]]:
    """The answers to the campaign's shown questions, in order; then the answers the
    registration holds to questions the form no longer shows (kept, never lost)."""
    shown, kept = [], []
    for question in questions_for(registration.campaign):
        if question.kind == "partners":
            groups = tuple(partner_groups(registration, question))
        elif question.kind == "milestones":
            milestones = list(registration.milestones.all())
            groups = (("", milestones),) if milestones else ()
        else:
            groups = ()
        answer = Answer(question, answer_text(registration, question), groups)
        if question.shown:
            shown.append(answer)
        elif is_answered(registration, question) and question.kind != "owner":
            kept.append(answer)
    return shown, kept
