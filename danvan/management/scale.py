"""A generator of realistic data at the size of a province or of the country.

Each organisation gets units, people with every role, one campaign per year with its
rubric, registrations in every status, a year-end round with its score sheets, council
meetings and votes, nominations and (for past years) an issued award decision with its
awards. Rows are written in bulk: PostgreSQL's COPY, or ``executemany`` on SQLite.

Only new organisations are created and only their rows written; identifiers are taken
from each table's own sequence, so the rows of existing organisations are never touched.
"""

import hashlib
import io
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from awards.models import (
    Award,
    AwardDecision,
    AwardForm,
    BaseSalary,
    CouncilMeeting,
    Multiplier,
    Nomination,
    Vote,
)
from campaigns.models import Campaign
from danvan.accounts.models import Membership, Organization, Unit, User
from danvan.documents.models import DocumentCounter, DocumentKind, IssuedDocument
from danvan.text import fold
from evaluations.models import (
    Assignment,
    Criterion,
    Inspection,
    RatingBand,
    Round,
    Rubric,
    Score,
)
from evaluations.scoring import weighted_total
from evaluations.services import DEFAULT_BANDS
from models_registry.migrations._reference import FIELDS as COMMON_FIELDS
from models_registry.models import Field, LateException, Milestone, Registration

Status = Registration.Status
Role = Membership.Role
# The first nine cover every status, so that even a tiny run has each one; the rest
# weigh the mix towards what a year looks like (most models accepted, then judged).
STATUS_PATTERN = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.ACCEPTED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.RECOGNISED,
    Status.NOT_RECOGNISED,
    Status.REPLICATED,
    *[Status.ACCEPTED] * 5,
    *[Status.RECOGNISED] * 4,
    Status.NOT_RECOGNISED,
    Status.SUBMITTED,
]
# Past years end in a final status.
PAST_STATUS = {
    Status.DRAFT: Status.WITHDRAWN,
    Status.SUBMITTED: Status.REJECTED,
    Status.RETURNED: Status.WITHDRAWN,
    Status.ACCEPTED: Status.RECOGNISED,
}
INSPECTED = {Status.ACCEPTED, Status.RECOGNISED, Status.NOT_RECOGNISED, Status.REPLICATED}
DECIDED = INSPECTED | {Status.REJECTED}
THEMES = [
    "Dân vận khéo trong cải cách hành chính",
    "Dịch vụ công trực tuyến đến từng hộ",
    "Tuyến đường hoa nông thôn mới",
    "Camera an ninh tổ dân phố",
    "Tổ hòa giải ở cơ sở",
    "Phân loại rác thải tại nguồn",
    "Quỹ khuyến học dòng họ",
    "Bữa cơm nghĩa tình cho người cao tuổi",
    "Chuyển đổi số trong sinh hoạt chi bộ",
    "Nước sạch cho hộ nghèo",
    "Thắp sáng đường quê",
    "Mỗi hội viên một việc làm tốt",
    "Vườn cây dinh dưỡng cho trẻ em",
    "Phụ nữ giúp nhau phát triển kinh tế",
    "Thanh niên tình nguyện vì cộng đồng",
    "Khu dân cư an toàn về phòng cháy",
]
UNIT_KINDS = [
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "MTTQ", Unit.Kind.FRONT),
    ("Hội Liên hiệp Phụ nữ", "HPN", Unit.Kind.FRONT),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "ĐTN", Unit.Kind.FRONT),
    ("Hội Cựu chiến binh", "CCB", Unit.Kind.FRONT),
    ("Hội Nông dân", "HND", Unit.Kind.FRONT),
    ("Công an", "CA", Unit.Kind.ARMED_FORCES),
    ("Ban Chỉ huy Quân sự", "QS", Unit.Kind.ARMED_FORCES),
    ("Văn phòng HĐND và UBND", "VP", Unit.Kind.GOVERNMENT),
    ("Phòng Kinh tế", "KT", Unit.Kind.GOVERNMENT),
    ("Phòng Văn hóa – Xã hội", "VHXH", Unit.Kind.GOVERNMENT),
]
CRITERIA = [
    "Có tên, địa chỉ cụ thể",
    "Huy động được nhiều lực lượng tham gia",
    "Mang lại hiệu quả thiết thực",
    "Được nhân dân đồng tình, hưởng ứng",
    "Bền vững, có khả năng nhân rộng",
]
EVALUATORS = 5


@dataclass
class Plan:
    organizations: int
    registrations_per_org: int
    years: int
    last_year: int = field(default_factory=lambda: datetime.now(UTC).year)
    units_per_org: int = 10
    password: str = "scale@2024"  # noqa: S105 - the seeded test accounts' password
    seed: int = 2024

    @property
    def first_year(self) -> int:
        return self.last_year - self.years + 1


# Bulk writing ----------------------------------------------------------------------------


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class Writer:
    """Rows of one model, written in batches by COPY (PostgreSQL) or INSERT (SQLite)."""

    batch = 20_000

    def __init__(self, model, columns: list[str]):
        from django.db.models.expressions import DatabaseDefault
        from django.db.models.fields import NOT_PROVIDED

        self.model = model
        self.fields = [model._meta.get_field(name) for name in columns]
        # Columns not named take their model default (those with a database default
        # are left to the database).
        self.defaults = tuple(
            f.get_default()
            for f in model._meta.concrete_fields
            if f.name not in columns
            and f.attname not in columns
            and not f.primary_key
            and f.db_default is NOT_PROVIDED
        )
        self.fields += [
            f
            for f in model._meta.concrete_fields
            if f.name not in columns
            and f.attname not in columns
            and not f.primary_key
            and f.db_default is NOT_PROVIDED
        ]
        assert not any(isinstance(value, DatabaseDefault) for value in self.defaults)
        self.columns = [f.column for f in self.fields]
        self.pending: list[tuple] = []
        self.written = 0

    def add(self, row: tuple) -> None:
        self.pending.append(row + self.defaults if self.defaults else row)
        if len(self.pending) >= self.batch:
            self.flush()

    def add_all(self, rows: Iterable[tuple]) -> "Writer":
        for row in rows:
            self.add(row)
        self.flush()
        return self

    def flush(self) -> None:
        if not self.pending:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                buffer.writelines("\t".join(map(_text, row)) + "\n" for row in self.pending)
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - our names
                    [
                        tuple(
                            f.get_db_prep_save(value, connection)
                            for f, value in zip(self.fields, row, strict=True)
                        )
                        for row in self.pending
                    ],
                )
        self.written += len(self.pending)
        self.pending = []


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, from its own sequence."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


# The generator -----------------------------------------------------------------------------


class Generator:
    """Writes ``plan.organizations`` new organisations in chunks, printing progress."""

    chunk = 50  # organisations per transaction

    def __init__(self, plan: Plan, *, progress: Callable[[str], None] = print):
        self.plan = plan
        self.progress = progress
        self.rng = random.Random(plan.seed)
        self.tag = uuid.uuid4().hex[:6]
        self.password = make_password(plan.password)
        self.counts: dict[str, int] = {}
        self.fields_of: dict[int, list[int]] = {}  # each organisation's own fields
        self.award_form = AwardForm.objects.get(code="giay-khen-chu-tich-xa")
        self.started = time.perf_counter()
        self.now = datetime.now(UTC)
        self.today = timezone.localdate()
        self.campaign_type = ContentType.objects.get_for_model(Campaign)
        self.placeholders = self._placeholder_files()
        self.prices: dict[date, tuple[int, Decimal]] = {}
        self.names: dict[int, str] = {}

    # Helpers ----------------------------------------------------------------------------

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def _placeholder_files(self) -> dict[str, tuple[str, str]]:
        """One stored DOCX and PDF that every seeded decision points to (the documents'
        content is not what a scale run is about); name and SHA-256 of each."""
        storage = IssuedDocument._meta.get_field("pdf").storage
        files = {}
        for ext, content in (
            ("pdf", b"%PDF-1.4\n% placeholder of a seeded decision\n%%EOF\n"),
            ("docx", b"PK placeholder of a seeded decision"),
        ):
            name = storage.save(
                f"documents/scale-{self.tag}/placeholder.{ext}", ContentFile(content)
            )
            files[ext] = (name, hashlib.sha256(content).hexdigest())
        return files

    def run(self) -> dict[str, int]:
        plan = self.plan
        done = 0
        while done < plan.organizations:
            size = min(self.chunk, plan.organizations - done)
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        # Bulk loading: a crash loses at most this chunk, which is redone.
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                self._chunk(start=done, size=size)
            done += size
            elapsed = time.perf_counter() - self.started
            self.progress(
                f"{done:,}/{plan.organizations:,} organisations, "
                f"{self.counts.get('registrations', 0):,} registrations, "
                f"{self.counts.get('scores', 0):,} scores ({elapsed:.0f} s)"
            )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Statistics for the planner, and the visibility map that lets counts read
            # only an index.
            self.progress("VACUUM ANALYZE …")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        return self.counts

    # One chunk of organisations ------------------------------------------------------------

    def _chunk(self, *, start: int, size: int) -> None:
        plan = self.plan
        org_ids = reserve_ids(Organization, size)
        organizations = Writer(
            Organization,
            [
                "id",
                "name",
                "short_name",
                "code",
                "kind",
                "province",
                "place_name",
                "header_parent",
                "header_name",
                "symbol",
                "email",
                "phone",
                "address",
                "council_pass_percent",
                "honour_board_public",
                "is_active",
                "created_at",
            ],
        )
        codes = {}
        for offset, org_id in enumerate(org_ids):
            n = start + offset + 1
            place = f"Thử Tải {self.tag.upper()} {n}"
            codes[org_id] = f"scale-{self.tag}-{n}"
            organizations.add(
                (
                    org_id,
                    f"Ủy ban nhân dân phường {place}",
                    f"UBND phường {place}",
                    codes[org_id],
                    Organization.Kind.WARD,
                    "Quảng Ngãi",
                    place,
                    "",
                    f"ỦY BAN NHÂN DÂN\nPHƯỜNG {place.upper()}",
                    "UBND",
                    "",
                    "",
                    "",
                    70,
                    False,
                    True,
                    self.now,
                )
            )
        organizations.flush()
        self._count("organizations", size)
        # Every organisation's own four fields (made by a signal when created one by one).
        fields = Field.objects.bulk_create(
            Field(organization_id=org_id, code=code, name=name, name_en=name_en, position=pos)
            for org_id in org_ids
            for code, name, name_en, pos in COMMON_FIELDS
        )
        for row in fields:
            self.fields_of.setdefault(row.organization_id, []).append(row.pk)

        # Units, people, roles.
        unit_ids = reserve_ids(Unit, size * plan.units_per_org)
        units = Writer(
            Unit, ["id", "organization", "name", "short_name", "kind", "is_active", "created_at"]
        )
        units_of: dict[int, list[int]] = {}
        for index, org_id in enumerate(org_ids):
            ids = unit_ids[index * plan.units_per_org : (index + 1) * plan.units_per_org]
            units_of[org_id] = ids
            for position, unit_id in enumerate(ids):
                name, short, kind = UNIT_KINDS[position % len(UNIT_KINDS)]
                if position >= len(UNIT_KINDS):
                    name, short, kind = (
                        f"Tổ dân phố số {position - len(UNIT_KINDS) + 1}",
                        f"TDP{position - len(UNIT_KINDS) + 1}",
                        Unit.Kind.RESIDENTIAL,
                    )
                units.add((unit_id, org_id, name, short, kind, True, self.now))
        units.flush()
        self._count("units", len(unit_ids))

        roles = [
            ("office", Role.OFFICE, None),
            ("chairman", Role.CHAIRMAN, None),
            ("vice", Role.VICE_CHAIRMAN, None),
            ("viewer", Role.VIEWER, None),
            *[(f"evaluator{k + 1}", Role.EVALUATOR, None) for k in range(EVALUATORS)],
            *[(f"unit{k + 1}", Role.UNIT_OFFICER, k) for k in range(plan.units_per_org)],
        ]
        user_ids = reserve_ids(User, size * len(roles))
        users = Writer(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "full_name",
                "email",
                "phone",
                "position_title",
                "is_active",
                "date_joined",
            ],
        )
        memberships = Writer(Membership, ["user", "organization", "unit", "role", "created_at"])
        people: dict[int, dict[str, int]] = {}
        for index, org_id in enumerate(org_ids):
            people[org_id] = {}
            for position, (suffix, role, unit_index) in enumerate(roles):
                user_id = user_ids[index * len(roles) + position]
                username = f"{codes[org_id]}-{suffix}"
                people[org_id][suffix] = user_id
                users.add(
                    (
                        user_id,
                        self.password,
                        False,
                        username,
                        f"Người thử tải {suffix} {index + start + 1}",
                        f"{username}@example.vn",
                        "",
                        str(Role(role).label),
                        True,
                        self.now,
                    )
                )
                unit = units_of[org_id][unit_index] if unit_index is not None else None
                memberships.add((user_id, org_id, unit, role, self.now))
        users.flush()
        memberships.flush()
        self._count("users", len(user_ids))

        for org_id in org_ids:
            self._organization_years(org_id, units_of[org_id], people[org_id])

    def _organization_years(self, org_id: int, unit_ids: list[int], people: dict[str, int]):
        plan = self.plan
        per_year = [plan.registrations_per_org // plan.years] * plan.years
        for extra in range(plan.registrations_per_org % plan.years):
            per_year[-1 - extra] += 1
        for index, year in enumerate(range(plan.first_year, plan.last_year + 1)):
            self._campaign_year(org_id, year, per_year[index], unit_ids, people)

    # One campaign of one organisation -----------------------------------------------------

    def _campaign_year(self, org_id, year, count, unit_ids, people):
        rng, now = self.rng, self.now
        current = year == self.plan.last_year
        campaign_id = reserve_ids(Campaign, 1)[0]
        Writer(
            Campaign,
            [
                "id",
                "organization",
                "year",
                "name",
                "form",
                "status",
                "registration_opens",
                "registration_deadline",
                "mid_year_review_starts",
                "mid_year_review_ends",
                "year_end_review_starts",
                "year_end_review_ends",
                "nomination_deadline",
                "plan_subject",
                "plan_introduction",
                "plan_closing",
                "recipients",
                "signing_mode",
                "created_at",
                "updated_at",
                "version",
            ],
        ).add_all(
            [
                (
                    campaign_id,
                    org_id,
                    year,
                    f"Phong trào thi đua “Dân vận khéo” năm {year}",
                    Campaign.Form.REGULAR,
                    Campaign.Status.ISSUED if current else Campaign.Status.CLOSED,
                    date(year, 2, 5),
                    date(year, 3, 31),
                    date(year, 6, 16),
                    date(year, 6, 30),
                    date(year, 11, 15),
                    date(year, 12, 15),
                    date(year, 12, 10),
                    f"Phát động phong trào thi đua “Dân vận khéo” năm {year}",
                    "",
                    "",
                    "Lưu: VT.",
                    Campaign.SigningMode.DIRECT,
                    now,
                    now,
                    1,
                )
            ]
        )
        if current:
            # Half the units were late and got more time: their officers can still
            # submit drafts (the load test's unit officers do).
            Writer(
                LateException, ["campaign", "unit", "expires_on", "reason", "granted_by"]
            ).add_all(
                [
                    (
                        campaign_id,
                        unit_id,
                        self.today + timedelta(days=30),
                        "Đơn vị xin gia hạn",
                        people["office"],
                    )
                    for unit_id in unit_ids[: (len(unit_ids) + 1) // 2]
                ]
            )
        # Rubric, criteria, rating bands.
        rubric_id = reserve_ids(Rubric, 1)[0]
        Writer(Rubric, ["id", "campaign", "organization", "locked_at", "created_at"]).add_all(
            [(rubric_id, campaign_id, org_id, now, now)]
        )
        criterion_ids = reserve_ids(Criterion, len(CRITERIA))
        Writer(
            Criterion, ["id", "rubric", "position", "title", "description", "max_points", "weight"]
        ).add_all(
            [
                (cid, rubric_id, n + 1, title, "", Decimal(10), Decimal(1))
                for n, (cid, title) in enumerate(zip(criterion_ids, CRITERIA, strict=True))
            ]
        )
        Writer(RatingBand, ["rubric", "name", "min_score", "passing"]).add_all(
            [
                (rubric_id, name, Decimal(minimum), passing)
                for name, minimum, passing in DEFAULT_BANDS
            ]
        )

        # Registrations and a milestone each.
        registration_ids = reserve_ids(Registration, count)
        registrations = Writer(
            Registration,
            [
                "id",
                "campaign",
                "organization",
                "unit",
                "sequence",
                "code",
                "name",
                "field",
                "situation",
                "objectives",
                "success_measures",
                "content_methods",
                "area",
                "beneficiaries",
                "person_in_charge",
                "person_in_charge_position",
                "person_in_charge_phone",
                "budget_vnd",
                "contributions_vnd",
                "workdays",
                "start_date",
                "evaluation_date",
                "expected_outputs",
                "sustainability",
                "status",
                "status_reason",
                "submitted_at",
                "decided_at",
                "search_text",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            ],
        )
        milestones = Writer(Milestone, ["registration", "due_on", "description"])
        statuses = {}
        units_of_registration = {}
        self.names = {}
        submitted = datetime(year, 3, 1, 2, 0, tzinfo=UTC)
        decided = datetime(year, 4, 1, 2, 0, tzinfo=UTC)
        for n, registration_id in enumerate(registration_ids, start=1):
            status = STATUS_PATTERN[(n - 1) % len(STATUS_PATTERN)]
            if not current:
                status = PAST_STATUS.get(status, status)
            statuses[registration_id] = status
            unit_index = (n - 1) % len(unit_ids)
            unit_id = unit_ids[unit_index]
            units_of_registration[registration_id] = unit_id
            theme = THEMES[(n * 7 + org_id) % len(THEMES)]
            name = f"{theme} – tổ dân phố {n}"
            self.names[registration_id] = name
            code = f"DVK-{year}-{n:03d}"
            situation = (
                f"Thực trạng tại tổ dân phố {n}: người dân còn gặp khó khăn về {theme.lower()}."
            )
            objectives = "Nâng cao đời sống, sự đồng thuận của nhân dân; 90% hộ tham gia."
            org_fields = self.fields_of[org_id]
            field_id = org_fields[n % len(org_fields)]
            updated = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
            registrations.add(
                (
                    registration_id,
                    campaign_id,
                    org_id,
                    unit_id,
                    n,
                    code,
                    name,
                    field_id,
                    situation,
                    objectives,
                    "Số hộ tham gia, số việc làm được, kinh phí huy động.",
                    "Tuyên truyền, vận động, làm mẫu; phân công đoàn viên, hội viên phụ trách.",
                    f"Tổ dân phố {n}",
                    "Nhân dân trên địa bàn",
                    f"Người phụ trách {n}",
                    "Chủ tịch",
                    "0255 3812 345",
                    rng.randrange(0, 50) * 1_000_000,
                    rng.randrange(0, 100) * 500_000,
                    rng.randrange(0, 200),
                    date(year, 4, 1),
                    date(year, 11, 30),
                    "Mô hình được duy trì, nhân dân đồng tình.",
                    "Duy trì hằng năm, nhân rộng ra các tổ dân phố khác.",
                    status,
                    "Chưa rõ mục tiêu đo lường."
                    if status in (Status.RETURNED, Status.REJECTED)
                    else "",
                    None if status == Status.DRAFT else submitted,
                    decided if status in DECIDED else None,
                    fold(f"{code} {name} {situation} {objectives}"),
                    people[f"unit{unit_index + 1}"],
                    updated,
                    updated,
                    1,
                )
            )
            milestones.add((registration_id, date(year, 9, 30), "Sơ kết, rút kinh nghiệm"))
        registrations.flush()
        milestones.flush()
        self._count("registrations", count)

        # The year-end round: score sheets of every inspected model.
        inspected = [rid for rid in registration_ids if statuses[rid] in INSPECTED]
        round_id = reserve_ids(Round, 1)[0]
        Writer(
            Round,
            [
                "id",
                "organization",
                "campaign",
                "kind",
                "name",
                "starts_on",
                "ends_on",
                "status",
                "opened_at",
                "closed_at",
                "created_by",
                "created_at",
                "version",
            ],
        ).add_all(
            [
                (
                    round_id,
                    org_id,
                    campaign_id,
                    Round.Kind.YEAR_END,
                    f"Tổng kết cuối năm {year}",
                    date(year, 11, 15),
                    date(year, 12, 15),
                    Round.Status.OPEN if current else Round.Status.CLOSED,
                    now,
                    None if current else now,
                    people["office"],
                    now,
                    1,
                )
            ]
        )
        inspection_ids = reserve_ids(Inspection, len(inspected))
        # Each registration's sequence is its place in the campaign, from 1.
        sequence_of = {rid: n for n, rid in enumerate(registration_ids, start=1)}
        # One evaluator per model, two for every third (a joint inspection).
        sheets = [
            (inspection_id, sequence_of[registration_id], n % EVALUATORS + 1 + extra)
            for n, (inspection_id, registration_id) in enumerate(
                zip(inspection_ids, inspected, strict=True)
            )
            for extra in ((0, 1) if n % 3 == 0 else (0,))
        ]
        assignment_ids = reserve_ids(Assignment, len(sheets))
        assignments = Writer(
            Assignment,
            [
                "id",
                "inspection",
                "round",
                "sequence",
                "evaluator",
                "assigned_by",
                "assigned_at",
                "inspected_on",
                "findings",
                "total_hundredths",
                "scored_at",
                "version",
            ],
        )
        scores = Writer(Score, ["assignment", "criterion", "points", "comment"])
        # Each inspection's assigned, scored and summed totals, as refresh_results keeps them.
        results = {inspection_id: [0, 0, 0] for inspection_id in inspection_ids}
        for n, (assignment_id, (inspection_id, sequence, evaluator_number)) in enumerate(
            zip(assignment_ids, sheets, strict=True)
        ):
            evaluator = people[f"evaluator{(evaluator_number - 1) % EVALUATORS + 1}"]
            scored = not current or n % 2 == 0  # this year's round is half done
            total = None
            results[inspection_id][0] += 1
            if scored:
                points = [Decimal(rng.randint(10, 20)) / 2 for _criterion in CRITERIA]
                total = weighted_total((p, Decimal(10), Decimal(1)) for p in points)
                for criterion_id, value in zip(criterion_ids, points, strict=True):
                    scores.add((assignment_id, criterion_id, value, ""))
                self._count("scores", len(points))
                results[inspection_id][1] += 1
                results[inspection_id][2] += total
            assignments.add(
                (
                    assignment_id,
                    inspection_id,
                    round_id,
                    sequence,
                    evaluator,
                    people["office"],
                    now,
                    date(year, 11, 20) if scored else None,
                    "",
                    total,
                    now if scored else None,
                    1,
                )
            )
        Writer(
            Inspection,
            [
                "id",
                "round",
                "registration",
                "unit",
                "self_evidence",
                "self_narrative",
                "created_at",
                "assigned_count",
                "scored_count",
                "scored_sum_hundredths",
            ],
        ).add_all(
            [
                (iid, round_id, rid, units_of_registration[rid], "", "", now, *results[iid])
                for iid, rid in zip(inspection_ids, inspected, strict=True)
            ]
        )
        assignments.flush()
        scores.flush()

        self._awards(org_id, year, campaign_id, current, statuses, units_of_registration, people)

    def _awards(self, org_id, year, campaign_id, current, statuses, unit_of, people):
        """Nominations of recognised models, the council's vote and, for past years, the
        chairman's decision with its awards."""
        now = self.now
        recognised = [
            rid
            for rid, status in statuses.items()
            if status in (Status.RECOGNISED, Status.REPLICATED)
        ]
        nominated = recognised[::3] or recognised[:1]
        if not nominated:
            return
        nomination_ids = reserve_ids(Nomination, len(nominated))
        nomination_status = {}
        for n, nid in enumerate(nomination_ids):
            if current:
                nomination_status[nid] = (Nomination.Status.PROPOSED, Nomination.Status.PASSED)[
                    n % 2
                ]
            else:
                nomination_status[nid] = (
                    Nomination.Status.NOT_PASSED if n % 7 == 6 else Nomination.Status.APPROVED
                )
        Writer(
            Nomination,
            [
                "id",
                "organization",
                "campaign",
                "kind",
                "unit",
                "person_name",
                "person_position",
                "registration",
                "award_form",
                "achievements",
                "report",
                "report_name",
                "nominee_key",
                "status",
                "status_reason",
                "proposed_by",
                "proposed_by_unit",
                "created_at",
                "updated_at",
            ],
        ).add_all(
            [
                (
                    nid,
                    org_id,
                    campaign_id,
                    Nomination.Kind.MODEL,
                    unit_of[rid],
                    "",
                    "",
                    rid,
                    self.award_form.pk,
                    "Mô hình đạt loại Xuất sắc, được nhân dân đồng tình, hưởng ứng.",
                    "",
                    "",
                    f"model:{rid}",
                    nomination_status[nid],
                    "",
                    people["office"],
                    None,
                    now,
                    now,
                )
                for nid, rid in zip(nomination_ids, nominated, strict=True)
            ]
        )
        self._count("nominations", len(nomination_ids))
        meeting_id = reserve_ids(CouncilMeeting, 1)[0]
        Writer(
            CouncilMeeting,
            [
                "id",
                "organization",
                "campaign",
                "held_on",
                "location",
                "total_members",
                "present",
                "chair",
                "secretary",
                "pass_percent",
                "votes_closed",
                "created_by",
                "created_at",
            ],
        ).add_all(
            [
                (
                    meeting_id,
                    org_id,
                    campaign_id,
                    date(year, 12, 5),
                    "Hội trường UBND",
                    9,
                    9,
                    "Chủ tịch UBND",
                    "Văn phòng",
                    70,
                    not current,
                    people["office"],
                    now,
                )
            ]
        )
        Writer(Vote, ["meeting", "nomination", "votes_in_favour"]).add_all(
            [
                (
                    meeting_id,
                    nid,
                    4 if nomination_status[nid] == Nomination.Status.NOT_PASSED else 8,
                )
                for nid in nomination_ids
                if nomination_status[nid] != Nomination.Status.PROPOSED
            ]
        )
        approved = [
            nid for nid in nomination_ids if nomination_status[nid] == Nomination.Status.APPROVED
        ]
        if current or not approved:
            return
        self._decision(
            org_id, year, campaign_id, approved, nomination_ids, nominated, unit_of, people
        )

    def _pricing(self, decided_on: date) -> tuple[int, Decimal]:
        """The base salary and the collective Giấy khen's multiplier on ``decided_on``."""
        if decided_on not in self.prices:
            salary = (
                BaseSalary.objects.filter(effective_from__lte=decided_on)
                .order_by("-effective_from")
                .first()
            )
            multiplier = (
                Multiplier.objects.filter(
                    award_form=self.award_form,
                    recipient_kind="collective",
                    effective_from__lte=decided_on,
                )
                .order_by("-effective_from")
                .values_list("multiplier", flat=True)
                .first()
            )
            self.prices[decided_on] = (
                salary.amount_vnd if salary else 2_340_000,
                multiplier if multiplier is not None else Decimal("0.30"),
            )
        return self.prices[decided_on]

    def _decision(
        self, org_id, year, campaign_id, approved, nomination_ids, nominated, unit_of, people
    ):
        decided_on = date(year, 12, 20)
        salary_vnd, multiplier = self._pricing(decided_on)
        amount = int((multiplier * salary_vnd).quantize(Decimal(1)))
        signed_at = datetime(year, 12, 20, 2, 28, 22, tzinfo=UTC)
        document_id = reserve_ids(IssuedDocument, 1)[0]
        (pdf_name, pdf_sha), (docx_name, docx_sha) = (
            self.placeholders["pdf"],
            self.placeholders["docx"],
        )
        Writer(
            IssuedDocument,
            [
                "id",
                "organization",
                "kind",
                "sequence",
                "year",
                "number",
                "symbol",
                "subject",
                "content",
                "issued_at",
                "issued_by",
                "docx",
                "pdf",
                "html",
                "docx_sha256",
                "pdf_sha256",
                "content_type",
                "object_id",
                "created_at",
            ],
        ).add_all(
            [
                (
                    document_id,
                    org_id,
                    DocumentKind.DECISION,
                    DocumentKind.DECISION,
                    year,
                    1,
                    "QĐ-UBND",
                    f"Về việc khen thưởng trong phong trào thi đua “Dân vận khéo” năm {year}",
                    {},
                    signed_at,
                    people["chairman"],
                    docx_name,
                    pdf_name,
                    "<!DOCTYPE html><html><body><article><p>Quyết định khen thưởng (dữ liệu thử tải).</p></article></body></html>",
                    docx_sha,
                    pdf_sha,
                    self.campaign_type.pk,
                    campaign_id,
                    self.now,
                )
            ]
        )
        Writer(DocumentCounter, ["organization", "year", "sequence", "last_number"]).add_all(
            [(org_id, year, DocumentKind.DECISION, 1)]
        )
        decision_id = reserve_ids(AwardDecision, 1)[0]
        Writer(
            AwardDecision,
            [
                "id",
                "organization",
                "campaign",
                "issued_document",
                "decided_on",
                "signer",
                "base_salary_vnd",
                "total_vnd",
                "created_at",
            ],
        ).add_all(
            [
                (
                    decision_id,
                    org_id,
                    campaign_id,
                    document_id,
                    decided_on,
                    people["chairman"],
                    salary_vnd,
                    amount * len(approved),
                    self.now,
                )
            ]
        )
        registration_of = dict(zip(nomination_ids, nominated, strict=True))
        names = self.names
        Writer(
            Award,
            [
                "decision",
                "organization",
                "nomination",
                "award_form",
                "recipient_name",
                "recipient_detail",
                "recipient_kind",
                "multiplier",
                "amount_vnd",
                "position",
            ],
        ).add_all(
            [
                (
                    decision_id,
                    org_id,
                    nid,
                    self.award_form.pk,
                    names[registration_of[nid]],
                    "",
                    "collective",
                    multiplier,
                    amount,
                    position,
                )
                for position, nid in enumerate(approved, start=1)
            ]
        )
        self._count("decisions", 1)
        self._count("awards", len(approved))
