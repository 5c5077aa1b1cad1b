"""Demo data: the 2024 campaign's mid-year review (closed, scored) and year-end review
(open, partly scored), scored through the services by a three-person inspection team."""

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from campaigns.models import Campaign
from danvan.accounts.models import Membership, Unit, User
from evaluations import services
from evaluations.models import Assignment, Inspection, Round

Role = Membership.Role

# (username, full name, position, unit short name): joined to the demo's own evaluator.
EXTRA_EVALUATORS = [
    ("phominh.kiemtra2", "Nguyễn Văn Sơn", "Công chức Tư pháp – Hộ tịch", "TP-HT"),
    ("phominh.kiemtra3", "Trần Thị Thu Hà", "Công chức Địa chính – Xây dựng", "ĐC-XD"),
]
FINDINGS = [
    "Mô hình triển khai đúng kế hoạch, có sự phối hợp tốt giữa các lực lượng.",
    "Cần bổ sung số liệu đo đếm kết quả và hình ảnh minh chứng.",
    "Người dân đồng tình, hưởng ứng; nên tổng kết để nhân rộng.",
    "Kết quả bước đầu khả quan; cần duy trì thường xuyên hơn.",
]


def _member(organization, role) -> User | None:
    membership = (
        Membership.objects.filter(organization=organization, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _evaluators(organization, password: str | None) -> list[User]:
    """The organisation's evaluators, with two more created if missing."""
    for username, full_name, position, unit_short_name in EXTRA_EVALUATORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                password,
                full_name=full_name,
                position_title=position,
                email=f"{username.replace('.', '-')}@example.vn",
            )
        elif password:
            user.set_password(password)
            user.save(update_fields=["password"])
        unit = Unit.objects.filter(organization=organization, short_name=unit_short_name).first()
        Membership.objects.get_or_create(
            user=user, organization=organization, role=Role.EVALUATOR, defaults={"unit": unit}
        )
    return list(
        User.objects.filter(
            memberships__organization=organization,
            memberships__role=Role.EVALUATOR,
            is_active=True,
        ).order_by("username")
    )


def _points(maximum: Decimal, quality: float, rng: random.Random) -> Decimal:
    """Half points around the model's quality, within 0 and the maximum."""
    value = float(maximum) * min(1.0, max(0.0, quality + rng.uniform(-0.08, 0.08)))
    halves = (Decimal(str(value)) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
    return min(maximum, max(Decimal(0), halves))


def _score(round: Round, assignments, criteria, every: int = 1) -> None:
    """Score every assignment, or every second one (``every=2``)."""
    for assignment in assignments[::every]:
        registration = assignment.inspection.registration
        quality = random.Random(registration.code).uniform(0.55, 0.97)
        rng = random.Random(f"{registration.code}/{assignment.evaluator.username}/{round.kind}")
        points = {c.pk: _points(c.max_points, quality, rng) for c in criteria}
        services.scores_save(
            actor=assignment.evaluator,
            assignment=assignment,
            points=points,
            findings=rng.choice(FINDINGS),
            inspected_on=round.starts_on + timedelta(days=rng.randint(0, 7)),
        )


def _self_assess(round: Round, criteria) -> None:
    """Units with an officer send their self-assessment."""
    inspections = Inspection.objects.filter(round=round).select_related("registration")
    for inspection in inspections:
        registration = inspection.registration
        officer = (
            Membership.objects.filter(unit_id=registration.unit_id, role=Role.UNIT_OFFICER)
            .select_related("user")
            .first()
        )
        if officer is None:
            continue
        quality = random.Random(registration.code).uniform(0.6, 1.0)
        rng = random.Random(f"{registration.code}/self/{round.kind}")
        services.self_assessment_save(
            actor=officer.user,
            inspection=inspection,
            points={c.pk: _points(c.max_points, quality + 0.05, rng) for c in criteria},
            narrative="Đơn vị đã triển khai mô hình theo đúng nội dung đăng ký; kết quả bước "
            "đầu được người dân ghi nhận.",
            evidence="Báo cáo tiến độ, hình ảnh hoạt động, danh sách người tham gia.",
        )


def _team(round: Round, evaluators: list[User], office: User) -> None:
    """Two or three evaluators per model, never one of the model's own unit."""
    for index, inspection in enumerate(
        Inspection.objects.filter(round=round)
        .select_related("registration")
        .order_by("registration__sequence")
    ):
        eligible = [e for e in evaluators if not services.has_conflict(e, inspection.registration)]
        team = eligible[: 3 if index % 2 == 0 else 2]
        services.assignments_create(
            actor=office, round=round, inspections=[inspection], evaluators=team
        )


def _assignments(round: Round) -> list[Assignment]:
    return list(
        Assignment.objects.filter(round=round)
        .select_related("evaluator", "inspection__registration")
        .order_by("inspection__registration__sequence", "evaluator__username")
    )


def seed_evaluations(
    campaign: Campaign, *, password: str | None = None
) -> list[tuple[str, str, str]]:
    """For the 2024 campaign: the default rubric, a closed and scored mid-year round and
    an open, partly scored year-end round. Does nothing if the campaign has rounds.

    The two extra evaluators it creates log in with ``password`` (none if not given);
    returns them as (organisation, role, username) rows for the demo's table of logins.
    """
    organization = campaign.organization
    rows = [
        (organization.short_name, str(Role.EVALUATOR.label), username)
        for username, *_rest in EXTRA_EVALUATORS
    ]
    if Round.objects.filter(campaign=campaign).exists():
        if password:
            _evaluators(organization, password)  # the demo's passwords are reset every run
        return rows
    office = _member(organization, Role.OFFICE)
    evaluators = _evaluators(organization, password)
    services.rubric_seed_default(actor=office, campaign=campaign)
    criteria = services.selectors.criteria_of(campaign.pk)

    mid_year = services.round_create(
        actor=office,
        campaign=campaign,
        data={
            "kind": Round.Kind.MID_YEAR,
            "name": services.default_round_name(Round.Kind.MID_YEAR, campaign.year),
            "starts_on": campaign.mid_year_review_starts,
            "ends_on": campaign.mid_year_review_ends,
        },
    )
    _team(mid_year, evaluators, office)
    mid_year = services.round_open(actor=office, round=mid_year)
    _self_assess(mid_year, criteria)
    _score(mid_year, _assignments(mid_year), criteria)
    services.round_close(actor=office, round=mid_year)

    # Windows are informational: the year-end round is opened whatever today's date is.
    year_end = services.round_create(
        actor=office,
        campaign=campaign,
        data={
            "kind": Round.Kind.YEAR_END,
            "name": services.default_round_name(Round.Kind.YEAR_END, campaign.year),
            "starts_on": campaign.year_end_review_starts,
            "ends_on": campaign.year_end_review_ends,
        },
    )
    _team(year_end, evaluators, office)
    year_end = services.round_open(actor=office, round=year_end)
    _score(year_end, _assignments(year_end), criteria, every=2)
    return rows
