import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from awards.models import AwardDecision, CouncilMeeting
from danvan.accounts.models import Membership, Organization
from danvan.benchmarks import HERE, THERE, BenchmarkCommand, peak_memory, two_databases
from evaluations.models import Round
from models_registry.exports import write_registrations
from models_registry.models import Registration

Role = Membership.Role
Status = Registration.Status
QUEUE_RATIO = 2.0  # the review queue against the bare view
EXPORT_ROWS = 100_000


@dataclass
class Part:
    """A page to time; ``baseline``: the part whose median, × QUEUE_RATIO, is its target."""

    label: str
    work: Callable[[], object]
    baseline: str | None = None
    note: str = ""

    def target(self, measured: dict[str, float]) -> float | None:
        if self.baseline is None:
            return None
        return round(QUEUE_RATIO * measured[self.baseline], 1)


def _ok(response):
    if response.status_code != 200:
        raise CommandError(f"{response.status_code} for {response.request['PATH_INFO']}")
    if response.streaming:
        b"".join(response.streaming_content)
    return response


class Command(BenchmarkCommand):
    help = (
        "Time the pages of one organisation (by default the one with the most "
        "registrations): the bare baseline view (the queue's rows in one indexed query, first "
        "page and searched; for reference, the same rows in the portal's layout, and the "
        "queue's template rendered from a context computed once), the review queue (first "
        "page; filtered, accent-insensitive search, page 2), a registration page, a round "
        "page, the awards page, the admin "
        "registration and nomination lists and the home page; and the peak memory of the "
        f"{EXPORT_ROWS:,}-row registrations export. Each page of the review queue must stay "
        f"within {QUEUE_RATIO:g}× the bare view of the same rows. With --against (a database "
        "of this organisation alone, timed in alternation) or --compare (the JSON of an "
        "earlier run), each page must stay within 1.2× its figure there with the same "
        "number of queries. Exits non-zero on a missed target."
    )
    default_runs = 15

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--organization", help="organisation code (default: the largest)")
        parser.add_argument(
            "--skip-export", action="store_true", help="do not measure the export's memory"
        )
        parser.add_argument("--export-rows", type=int, default=EXPORT_ROWS)
        parser.add_argument(
            "--province",
            metavar="CODE",
            help="time the roll-up of this province (seed_scale --province makes one) instead",
        )
        parser.add_argument("--year", type=int, help="the roll-up's year (default: the latest)")
        parser.add_argument(
            "--against",
            metavar="DATABASE_URL",
            help="time every page here and on that database (the organisation alone) run by "
            f"run in alternation: each within {self.compare_ratio:g}× its median there, with "
            "the same queries (no export)",
        )
        parser.add_argument(
            "--against-organization",
            metavar="CODE",
            help="the organisation to time on the --against database (default: --organization)",
        )

    def handle(self, *args, organization, skip_export, export_rows, **options):
        if options.get("province"):
            self._province(options["province"], options.get("year"))
            return
        with (
            override_settings(
                ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, ROOT_URLCONF="danvan.benchmark_urls"
            ),
            translation.override("vi"),
        ):
            if options.get("against"):
                self._interleaved(
                    organization, options["against"], options.get("against_organization")
                )
                return
            organization = self._organization(organization)
            if not skip_export:
                # First: a peak is measured against what the process held before.
                self._export(Registration.objects.filter(organization=organization), export_rows)
            self._time_parts(self._pages(organization))
        self.finish()

    def _interleaved(self, code: str | None, url: str, other_code: str | None) -> None:
        """Each page here and on the database at ``url``, run by run in alternation."""
        with two_databases(url) as use:
            use(THERE)
            there = self._pages(self._organization(other_code or code))
            use(HERE)
            here = self._pages(self._organization(code))
            self._time_parts(here, there, use=use)
        self.finish()

    def _time_parts(self, parts: list[Part], others: list[Part] | None = None, *, use=None):
        """Time each part, alone or in alternation with the same part of ``others`` (on
        the other database), its target set from the parts timed before it."""
        measured: dict[str, float] = {}
        for index, part in enumerate(parts):
            target = part.target(measured)
            if others is None:
                result = self.time(part.label, part.work, target_ms=target, note=part.note)
            else:
                result = self.time_pair(
                    part.label,
                    part.work,
                    others[index].work,
                    use=use,
                    target_ms=target,
                    note=part.note,
                )
            measured[part.label] = result.median_ms

    def _pages(self, organization: Organization) -> list[Part]:
        """The pages to time, as the organisation's office staff (the chairman for his
        desk and inbox, a unit officer for theirs), logged in on the current database."""
        office = self._member(organization, Role.OFFICE)
        chairman = self._member(organization, Role.CHAIRMAN)
        registrations = Registration.objects.filter(organization=organization)
        self.stdout.write(
            f"{organization} ({organization.code}): {registrations.count():,} registrations; "
            f"database: {Registration.objects.count():,} registrations in "
            f"{Organization.objects.count():,} organisations. {self.runs} runs per part."
        )
        latest = (
            Round.objects.filter(organization=organization)
            .order_by("-campaign__year", "-pk")
            .first()
        )
        registration = (
            registrations.filter(campaign_id=latest.campaign_id, status=Status.RECOGNISED)
            .order_by("sequence")
            .first()
            if latest
            else registrations.exclude(status=Status.DRAFT).order_by("pk").first()
        )
        if registration is None or latest is None:
            raise CommandError("The organisation has no round or no registration to show.")
        as_office, as_chairman, as_unit = Client(), Client(), Client()
        as_office.force_login(office)
        as_chairman.force_login(chairman)
        as_unit.force_login(self._member(organization, Role.UNIT_OFFICER))

        def page(client, url, **params):
            return lambda: _ok(client.get(url, params))

        searched = {"status": Status.ACCEPTED, "q": "dich vu cong", "page": 2}
        bare = "bare view: 25 latest registrations, one indexed query"
        bare_searched = "bare view: the same status filter, search and page 2, one indexed query"
        queue = reverse("models_registry:list")
        admin_registrations = reverse("admin:models_registry_registration_changelist")
        return [
            Part(bare, page(as_office, reverse("benchmark_bare"))),
            Part(bare_searched, page(as_office, reverse("benchmark_bare"), **searched)),
            Part(
                "bare page: the same rows in the portal's layout",
                page(as_office, reverse("benchmark_bare_page")),
                note="for reference: the layout's own cost",
            ),
            Part(
                "review queue's template alone: its first page from a context computed once",
                page(as_office, reverse("benchmark_queue_template")),
                note="for reference: the page with no data work at all",
            ),
            Part(
                "review queue: first page, built anew (the database changed)",
                page(as_office, reverse("benchmark_queue_anew")),
                note="for reference: the page when it cannot be served again",
            ),
            Part(
                "review queue: first page",
                page(as_office, queue),
                baseline=bare,
                note=f"≤ {QUEUE_RATIO:g}× the bare view",
            ),
            Part(
                "review queue: status filter, search “dich vu cong”, page 2",
                page(as_office, queue, **searched),
                baseline=bare_searched,
                note=f"≤ {QUEUE_RATIO:g}× the bare view of the same rows",
            ),
            Part(
                "registration page",
                page(as_office, reverse("models_registry:detail", args=[registration.pk])),
            ),
            Part("round page", page(as_office, reverse("evaluations:round", args=[latest.pk]))),
            Part("awards page", page(as_office, reverse("awards:home"))),
            Part("admin: registration list", page(as_office, admin_registrations)),
            Part(
                "admin: registration list with counts (facets)",
                page(as_office, admin_registrations, _facets="True"),
            ),
            Part(
                "admin: nomination list",
                page(as_chairman, reverse("admin:awards_nomination_changelist")),
            ),
            Part("home: the office's work inbox", page(as_office, reverse("home"))),
            Part("home: a unit officer's work inbox", page(as_unit, reverse("home"))),
            Part("home: the chairman's work inbox", page(as_chairman, reverse("home"))),
            Part(
                "evaluations: an evaluator's worklist",
                page(self._client_of(organization, Role.EVALUATOR), reverse("evaluations:home")),
            ),
            *self._award_pages(organization, latest.campaign_id, page, as_office, as_chairman),
        ]

    def _client_of(self, organization: Organization, role: str) -> Client:
        client = Client()
        client.force_login(self._member(organization, role))
        return client

    def _award_pages(self, organization, campaign_id, page, as_office, as_chairman) -> list[Part]:
        """The pages whose lists grow with a year's awards: the campaign's nominations, the
        council meeting, the nomination form, the recognition worklist, the honour board,
        the chairman's desk and the back office's decision page (where the organisation has
        them)."""
        parts = [
            Part(
                "awards: the campaign's nominations",
                page(as_office, reverse("awards:campaign", args=[campaign_id])),
            ),
            Part(
                "awards: the nomination form",
                page(as_office, reverse("awards:nominate", args=[campaign_id])),
            ),
            Part(
                "year-end recognition",
                page(as_office, reverse("evaluations:recognition", args=[campaign_id])),
            ),
            Part("honour board", page(as_office, reverse("awards:honours"))),
            Part(
                "the chairman's desk (passed nominations awaiting approval)",
                page(as_chairman, reverse("admin:awards_nomination_desk")),
            ),
        ]
        meeting = CouncilMeeting.objects.filter(organization=organization).order_by("pk").first()
        if meeting is not None:
            parts.append(
                Part(
                    "council meeting", page(as_office, reverse("awards:meeting", args=[meeting.pk]))
                )
            )
        decision = AwardDecision.objects.filter(organization=organization).order_by("pk").first()
        if decision is not None:
            parts.append(
                Part(
                    "awards: a decision's page",
                    page(as_chairman, reverse("awards:decision", args=[decision.pk])),
                )
            )
            parts.append(
                Part(
                    "admin: an award decision with its awards",
                    page(
                        as_chairman,
                        reverse("admin:awards_awarddecision_change", args=[decision.pk]),
                    ),
                )
            )
        return parts

    def _province(self, code: str, year: int | None) -> None:
        """The province's roll-up across its communes (the page, first and searched; the
        work of the Excel and BC summary jobs): the same number of queries at any number
        of communes."""
        from campaigns.models import Campaign
        from danvan.documents.render import render_docx
        from province import exports, selectors
        from province.selectors import commune_ids

        try:
            province = Organization.objects.get(code=code, kind=Organization.Kind.PROVINCE)
        except Organization.DoesNotExist:
            raise CommandError(f"No province with code {code!r}.") from None
        office = self._member(province, Role.PROVINCE_OFFICE)
        ids = commune_ids(province)
        if year is None:
            latest = Campaign.objects.filter(organization_id__in=ids).order_by("-year").first()
            if latest is None:
                raise CommandError("The province's communes have no campaign.")
            year = latest.year
        registrations = Registration.objects.filter(
            organization_id__in=ids, campaign__year=year
        ).count()
        self.stdout.write(
            f"{province} ({province.code}): {len(ids):,} communes, {registrations:,} "
            f"registrations in {year}; database: {Registration.objects.count():,} registrations "
            f"in {Organization.objects.count():,} organisations. {self.runs} runs per part."
        )
        with (
            override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False),
            translation.override("vi"),
        ):
            client = Client()
            client.force_login(office)
            params = {"year": year}
            self.time(
                f"province roll-up page ({len(ids):,} communes)",
                lambda: _ok(client.get(reverse("province:rollup"), params)),
            )
            self.time(
                "province roll-up page, searched, page 2",
                lambda: _ok(
                    client.get(reverse("province:rollup"), {**params, "q": "a", "page": 2})
                ),
            )
            # The exports list every commune and run as background jobs: the job's work.
            self.time(
                "province roll-up: Excel (background job's work)",
                lambda: exports.rollup_workbook(selectors.rollup(province=province, year=year)),
            )
            self.time(
                "province roll-up: BC summary DOCX (background job's work)",
                lambda: render_docx(
                    exports.rollup_report(selectors.rollup(province=province, year=year))
                ),
            )
        self.finish()

    def _organization(self, code: str | None) -> Organization:
        if code:
            try:
                return Organization.objects.get(code=code)
            except Organization.DoesNotExist:
                raise CommandError(f"No organisation with code {code!r}.") from None
        largest = (
            Registration.objects.values("organization")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        if largest is None:
            raise CommandError("No registrations: run seed_scale (or seed_demo) first.")
        return Organization.objects.get(pk=largest["organization"])

    def _member(self, organization, role):
        membership = (
            Membership.objects.filter(organization=organization, role=role, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            raise CommandError(f"{organization} has no {role} to measure as.")
        return membership.user

    def _export(self, registrations, rows: int) -> None:
        queryset = (
            registrations.exclude(status=Status.DRAFT)
            .select_related("unit", "field", "campaign")
            .order_by("pk")[:rows]
        )
        with tempfile.TemporaryFile() as spool, translation.override("vi"):
            peak, elapsed = peak_memory(lambda: write_registrations(queryset, spool))
            size = spool.tell()
        self.record_memory(
            f"registrations export, {min(rows, queryset.count()):,} rows",
            peak,
            elapsed,
            bytes=size,
        )
