"""The work inbox: what waits for the user in the organisation they work in, by role.

Each item is a count (or a "12 / 45" progress) with a link, ordered by deadline. Every
figure is an aggregate computed by the database: the number of queries depends on the
user's roles, never on the number of rows (one or two queries per kind of item).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from awards.models import AwardDecision, AwardForm, Nomination
from campaigns.models import Campaign
from danvan.accounts.models import Membership, Organization, User
from danvan.accounts.rules import is_office, is_signer
from danvan.accounts.selectors import roles_in, unit_ids_in
from danvan.db.expressions import total_per_row
from danvan.documents.models import IssuedDocument
from danvan.documents.selectors import source_page
from danvan.worklist import Task, from_apps
from evaluations.models import Assignment, Round
from evaluations.selectors import held_by_evaluators, held_by_leavers, open_round_inspections
from models_registry.models import (
    Comment,
    LateException,
    LateRequest,
    Milestone,
    ProgressReport,
    Registration,
)

Role = Membership.Role
UPCOMING_DAYS = 14


def _with_query(url_name: str, **params) -> str:
    return f"{reverse(url_name)}?{urlencode(params)}"


@dataclass(frozen=True)
class PerCampaign:
    """Rows to count per campaign (a queryset of a model with a ``campaign`` key): in the
    campaigns that match ``campaigns``, with the campaign's ``deadline`` field as the
    line's date."""

    rows: QuerySet
    deadline: str
    campaigns: Q = field(default_factory=Q)


def _per_campaign(organization: Organization, **counted: PerCampaign) -> dict:
    """For each name, ``(count, deadline)``: how many of its rows the organisation's
    matching campaigns hold, and the earliest deadline of the campaigns holding some.

    Driven from the organisation's few campaigns, one query, each count an index range
    of its own: the plan and its cost do not change with the size of the tables. Joined
    the other way, PostgreSQL misjudges a large organisation in a national database and
    reads the whole country's campaigns to join a few of them."""
    annotations = {}
    for name, spec in counted.items():
        count = total_per_row(
            spec.rows.filter(campaign=OuterRef("pk")).order_by().values("campaign"),
            Count("campaign"),
        )
        annotations[name] = (
            Case(When(spec.campaigns, then=count), default=0, output_field=IntegerField())
            if spec.campaigns
            else count
        )
    deadlines = {spec.deadline for spec in counted.values()}
    rows = list(
        Campaign.objects.filter(organization=organization)
        .annotate(**annotations)
        .values(*annotations, *deadlines)
    )
    found = {}
    for name, spec in counted.items():
        holding = [row for row in rows if row[name]]
        dates = [row[spec.deadline] for row in holding if row[spec.deadline] is not None]
        found[name] = (sum(row[name] for row in holding), min(dates, default=None))
    return found


def _signer_tasks(user: User, organization: Organization) -> list[Task]:
    tasks = []
    plans = Campaign.objects.filter(
        organization=organization,
        status=Campaign.Status.DRAFT,
        issuing_body__isnull=True,
        sent_for_signature_at__isnull=False,
    ).aggregate(count=Count("pk"), deadline=Min("registration_opens"))
    tasks.append(
        Task(
            "plans_to_sign",
            _("Kế hoạch chờ ký ban hành"),
            reverse("campaigns:list"),
            plans["count"],
            plans["deadline"],
        )
    )
    passed, deadline = _per_campaign(
        organization,
        passed=PerCampaign(
            Nomination.objects.filter(
                organization=organization,
                status=Nomination.Status.PASSED,
                award_form__in=AwardForm.objects.filter(level=AwardForm.Level.COMMUNE),
            ),
            "year_end_review_ends",
        ),
    )["passed"]
    tasks.append(
        Task(
            "nominations_to_approve",
            _("Đề nghị khen thưởng Hội đồng đã thông qua, chờ phê duyệt"),
            reverse("admin:awards_nomination_desk"),
            passed,
            deadline,
        )
    )
    waiting = IssuedDocument.objects.filter(
        organization=organization,
        status=IssuedDocument.Status.AWAITING_SIGNATURE,
        signatures__signed_by=user,
        signatures__signed_at__isnull=True,
    ).aggregate(count=Count("pk", distinct=True), first=Min("pk"))
    tasks.append(
        Task(
            "documents_to_sign",
            _("Văn bản chờ ký số"),
            _signing_url(waiting["first"]) if waiting["first"] else "",
            waiting["count"],
        )
    )
    return tasks


def _signing_url(document_pk: int) -> str:
    """The page where the signer uploads the signed copy of the document, returning
    afterwards to the page that shows it: the decision's, or its source's (the plan's
    campaign, the review report)."""
    document = (
        IssuedDocument.objects.filter(pk=document_pk)
        .annotate(
            decision=Subquery(
                AwardDecision.objects.filter(issued_document=OuterRef("pk")).values("pk")[:1]
            )
        )
        .get()
    )
    back = (
        reverse("awards:decision", args=[document.decision])
        if document.decision
        else source_page(document)
    )
    return f"{reverse('documents:sign', args=[document_pk])}?{urlencode({'next': back})}"


def _office_tasks(organization: Organization, today: date) -> list[Task]:
    tasks = []
    late_campaigns = Q(status=Campaign.Status.ISSUED, registration_deadline__lt=today)
    registrations = Registration.objects.filter(organization=organization)
    waiting_campaigns = Q(nomination_deadline__lt=today)
    counts = _per_campaign(
        organization,
        submitted=PerCampaign(
            registrations.filter(status=Registration.Status.SUBMITTED), "registration_deadline"
        ),
        late=PerCampaign(
            registrations.filter(status=Registration.Status.DRAFT),
            "registration_deadline",
            late_campaigns,
        ),
        waiting=PerCampaign(
            Nomination.objects.filter(organization=organization, status=Nomination.Status.PROPOSED),
            "nomination_deadline",
            waiting_campaigns,
        ),
    )
    tasks.append(
        Task(
            "registrations_submitted",
            _("Đăng ký mô hình đã gửi, chờ duyệt"),
            _with_query("models_registry:list", status=Registration.Status.SUBMITTED),
            *counts["submitted"],
        )
    )
    tasks.append(
        Task(
            "late_drafts",
            _("Bản nháp còn lại sau hạn đăng ký (đơn vị cần gia hạn)"),
            _with_query("models_registry:list", status=Registration.Status.DRAFT),
            *counts["late"],
        )
    )
    # One line per campaign with requests waiting (a handful), each to its own page; a
    # closed campaign's requests no longer wait for anyone.
    waiting_requests = (
        LateRequest.objects.filter(
            organization=organization,
            campaign__organization=organization,
            status=LateRequest.Status.PENDING,
            campaign__status=Campaign.Status.ISSUED,
        )
        .values("campaign_id", "campaign__year")
        .annotate(count=Count("pk"), deadline=Min("wished_until"))
        .order_by("deadline", "campaign_id")
    )
    for row in waiting_requests:
        tasks.append(
            Task(
                "late_requests",
                _("Đơn vị đề nghị gia hạn đăng ký, chờ trả lời (%(year)s)")
                % {"year": row["campaign__year"]},
                reverse("models_registry:late", args=[row["campaign_id"]]),
                row["count"],
                row["deadline"],
            )
        )
    to_open = Q(status=Round.Status.PLANNED, starts_on__lte=today)
    to_close = Q(status=Round.Status.OPEN, ends_on__lt=today)
    rounds = Round.objects.filter(organization=organization).aggregate(
        to_open=Count("pk", filter=to_open),
        open_deadline=Min("starts_on", filter=to_open),
        to_close=Count("pk", filter=to_close),
        close_deadline=Min("ends_on", filter=to_close),
    )
    home = reverse("evaluations:home")
    tasks.append(
        Task(
            "rounds_to_open",
            _("Đợt kiểm tra đến ngày mở"),
            home,
            rounds["to_open"],
            rounds["open_deadline"],
        )
    )
    tasks.append(
        Task(
            "rounds_to_close",
            _("Đợt kiểm tra đã hết hạn, chờ kết thúc"),
            home,
            rounds["to_close"],
            rounds["close_deadline"],
        )
    )
    soon = today + timedelta(days=int(getattr(settings, "EVALUATION_REMINDER_DAYS", 3)))
    # Through the assignment's own round (indexed with its evaluator), not its inspection's.
    behind = held_by_evaluators(
        Assignment.objects.filter(
            round__organization=organization,
            round__status=Round.Status.OPEN,
            round__ends_on__lte=soon,
            scored_at__isnull=True,
            evaluator__is_active=True,
        )
    ).aggregate(count=Count("evaluator", distinct=True), deadline=Min("round__ends_on"))
    orphaned = held_by_leavers(
        Assignment.objects.filter(
            round__organization=organization,
            round__status=Round.Status.OPEN,
            scored_at__isnull=True,
        ),
        organization=organization,
    ).aggregate(count=Count("pk"), deadline=Min("round__ends_on"))
    tasks.append(
        Task(
            "sheets_of_leavers",
            _("Phiếu chấm của người không còn trong đoàn kiểm tra, cần giao người khác"),
            home,
            orphaned["count"],
            orphaned["deadline"],
        )
    )
    tasks.append(
        Task(
            "evaluators_behind",
            _("Thành viên đoàn kiểm tra chậm chấm điểm"),
            home,
            behind["count"],
            behind["deadline"],
        )
    )
    tasks.append(
        Task(
            "meetings_to_record",
            _("Đề nghị khen thưởng chờ ghi kết quả họp Hội đồng"),
            reverse("awards:home"),
            *counts["waiting"],
        )
    )
    return tasks


def _unit_tasks(organization: Organization, units: frozenset[int], today: date) -> list[Task]:
    tasks = []
    horizon = today + timedelta(days=UPCOMING_DAYS)
    mine = Registration.objects.filter(organization=organization, unit_id__in=units)
    returned = _per_campaign(
        organization,
        returned=PerCampaign(
            mine.filter(status=Registration.Status.RETURNED), "registration_deadline"
        ),
    )["returned"]
    tasks.append(
        Task(
            "registrations_returned",
            _("Đăng ký bị trả lại, cần bổ sung"),
            _with_query("models_registry:list", status=Registration.Status.RETURNED),
            *returned,
        )
    )
    # A milestone is answered by a report filed since it came into view (UPCOMING_DAYS
    # before it is due) and after the model's previous milestone (one report answers one
    # milestone), not only by one filed on or after the day; milestones of a year whose
    # review is over are no longer asked for.
    previous = Milestone.objects.filter(
        registration=OuterRef("registration"), due_on__lt=OuterRef("due_on")
    ).order_by("-due_on")
    reported = ProgressReport.objects.filter(
        registration=OuterRef("registration"),
        reported_on__gte=ExpressionWrapper(
            OuterRef("due_on") - timedelta(days=UPCOMING_DAYS), output_field=DateField()
        ),
        reported_on__gt=OuterRef("previous_due"),
    )
    due = (
        Milestone.objects.filter(
            registration__organization=organization,
            registration__unit_id__in=units,
            registration__status=Registration.Status.ACCEPTED,
            # The campaigns by their keys, read first: the registrations' index then
            # holds the rest of the test (org, unit, status, campaign) and no campaign is
            # read once per model (5,000 of a unit at national size: 12.6 ms to 9.9 ms).
            registration__campaign__in=Campaign.objects.filter(
                organization=organization, year_end_review_ends__gte=today
            ).values("pk"),
            due_on__lte=horizon,
        )
        .annotate(
            previous_due=Coalesce(
                Subquery(previous.values("due_on")[:1]), Value(date.min), output_field=DateField()
            )
        )
        .exclude(Exists(reported))
        .aggregate(
            count=Count("registration", distinct=True),
            deadline=Min("due_on"),
            first=Min("registration"),
        )
    )
    tasks.append(
        Task(
            "reports_due",
            _("Mô hình đến mốc báo cáo tiến độ"),
            reverse("models_registry:detail", args=[due["first"]])
            if due["count"] == 1
            else _with_query("models_registry:list", status=Registration.Status.ACCEPTED),
            due["count"],
            due["deadline"],
        )
    )
    # Models of the unit in an open round whose self-assessment is not sent (a draft kept
    # is not sent): the evaluators score them meanwhile.
    unsent = (
        open_round_inspections(organization=organization, units=units)
        .filter(self_submitted_at__isnull=True)
        .aggregate(count=Count("pk"), deadline=Min("round__ends_on"), first=Min("pk"))
    )
    tasks.append(
        Task(
            "self_assessments_to_send",
            _("Mô hình cần tự đánh giá"),
            reverse("evaluations:self_assessment", args=[unsent["first"]])
            if unsent["count"] == 1
            else reverse("evaluations:home"),
            unsent["count"],
            unsent["deadline"],
        )
    )
    last_author = Subquery(
        Comment.objects.filter(registration=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("author_id")[:1]
    )
    officer_wrote = Membership.objects.filter(
        user_id=OuterRef("last_author"), unit_id=OuterRef("unit_id"), role=Role.UNIT_OFFICER
    )
    # Only the unit's registrations with a comment are looked at (few), not all of them.
    commented = Comment.objects.filter(
        registration__organization=organization, registration__unit_id__in=units
    ).values("registration_id")
    unanswered = (
        mine.filter(pk__in=commented)
        .annotate(last_author=last_author)
        .filter(last_author__isnull=False)
        .exclude(Exists(officer_wrote))
        .aggregate(count=Count("pk"))
    )
    tasks.append(
        Task(
            "comments_unanswered",
            _("Trao đổi của Văn phòng chưa trả lời"),
            reverse("models_registry:list"),
            unanswered["count"],
        )
    )
    # The campaign's own dates in the next 14 days, one line each.
    dates = [
        ("registration_deadline", _("Hạn đăng ký mô hình")),
        ("mid_year_review_ends", _("Kết thúc sơ kết giữa năm")),
        ("year_end_review_ends", _("Kết thúc tổng kết cuối năm")),
        ("nomination_deadline", _("Hạn đề nghị khen thưởng")),
    ]
    window = Q()
    for name, _label in dates:
        window |= Q(**{f"{name}__range": (today, horizon)})
    campaigns = Campaign.objects.filter(
        organization=organization, status=Campaign.Status.ISSUED, kind=Campaign.Kind.YEARLY
    ).filter(window)
    # A unit's registration extension ending in the next 14 days, as the deadline it is.
    extensions = (
        LateException.objects.filter(
            campaign__organization=organization,
            campaign__status=Campaign.Status.ISSUED,
            unit_id__in=units,
            expires_on__range=(today, horizon),
        )
        .values("campaign_id", "campaign__name", "unit__name", "expires_on")
        .order_by("expires_on", "campaign_id", "unit__name")
    )
    for extension in extensions:
        day = extension["expires_on"]
        tasks.append(
            Task(
                "deadline",
                _("Hạn đăng ký được gia hạn (%(unit)s): %(campaign)s")
                % {"unit": extension["unit__name"], "campaign": extension["campaign__name"]},
                reverse("models_registry:list"),
                (day - today).days,
                day,
            )
        )
    for campaign in campaigns:
        for name, label in dates:
            day = getattr(campaign, name)
            if today <= day <= horizon:
                tasks.append(
                    Task(
                        "deadline",
                        f"{label}: {campaign.name}",
                        reverse("campaigns:detail", args=[campaign.pk]),
                        (day - today).days,
                        day,
                    )
                )
    return tasks


def _evaluator_tasks(user: User, organization: Organization) -> list[Task]:
    rows = (
        Assignment.objects.filter(
            evaluator=user,
            inspection__round__organization=organization,
            inspection__round__status=Round.Status.OPEN,
        )
        .values("inspection__round_id", "inspection__round__name", "inspection__round__ends_on")
        .annotate(total=Count("pk"), scored=Count("pk", filter=Q(scored_at__isnull=False)))
        .order_by("inspection__round__ends_on", "inspection__round_id")
    )
    return [
        Task(
            "sheets_to_score",
            _("Phiếu chấm điểm: %(round)s") % {"round": row["inspection__round__name"]},
            reverse("evaluations:round", args=[row["inspection__round_id"]]),
            row["total"] - row["scored"],
            row["inspection__round__ends_on"],
            progress=f"{row['scored']} / {row['total']}",
        )
        for row in rows
        if row["scored"] < row["total"]
    ]


def inbox_for(*, user: User, organization: Organization, today: date) -> list[Task]:
    """What waits for ``user`` in ``organization`` on ``today``, by their roles there:
    only the lines with something to do, the nearest deadline first."""
    tasks: list[Task] = []
    if is_signer.test(user, organization):
        tasks += _signer_tasks(user, organization)
    if is_office.test(user, organization):
        tasks += _office_tasks(organization, today)
    units = unit_ids_in(user, organization.pk, Role.UNIT_OFFICER)
    if units:
        tasks += _unit_tasks(organization, units, today)
    if Role.EVALUATOR in roles_in(user, organization.pk):
        tasks += _evaluator_tasks(user, organization)
    tasks += from_apps(user=user, organization=organization, today=today)
    waiting = [task for task in tasks if task.count or task.key == "deadline"]
    return sorted(waiting, key=lambda t: (t.deadline is None, t.deadline or date.max, t.label))
