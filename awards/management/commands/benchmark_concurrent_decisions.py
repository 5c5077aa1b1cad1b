"""Two award decisions of one organisation issued at the same moment, each with 300
awardees: how long until both are issued when the numbering sequence stays locked while
the document renders (the order the portal used to follow), and when the decision is
numbered in a short transaction and rendered afterwards with no lock held (now)."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date

import dj_database_url
import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

MODES = {
    "locked": "sequence locked while rendering (before)",
    "reserved": "numbered first, rendered with no lock (now)",
}


class Command(BaseCommand):
    help = (
        "On PostgreSQL, in a throwaway database: issue two award decisions of one "
        "organisation at the same moment (300 awardees each, two processes) and report "
        "how long until both are issued, keeping the numbering sequence locked while rendering "
        "and numbering first. Fails if numbering first is not faster."
    )

    def add_arguments(self, parser):
        parser.add_argument("--awardees", type=int, default=300)
        parser.add_argument("--phase", choices=["run", "seed", "issue"], default="run")
        parser.add_argument("--mode", choices=list(MODES))
        parser.add_argument("--set", type=int, default=0)
        parser.add_argument("--start-at", type=float, default=0.0)

    def handle(self, *args, awardees, phase, mode, set, start_at, **options):
        if phase == "seed":
            return self._seed(awardees)
        if phase == "issue":
            return self._issue(mode, set, start_at)
        return self._run(awardees)

    # The parent: a throwaway database, then two workers per mode --------------------

    def _run(self, awardees: int) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(
                "Skipped: this benchmark needs PostgreSQL (row locks across processes)."
            )
            return
        config = settings.DATABASES["default"]
        name = f"bench_{uuid.uuid4().hex[:10]}"
        admin = psycopg2.connect(
            dbname="postgres",
            user=config["USER"],
            password=config["PASSWORD"],
            host=config["HOST"],
            port=config["PORT"] or 5432,
        )
        admin.autocommit = True
        url = dj_database_url.parse(
            f"postgres://{config['USER']}:{config['PASSWORD'] or ''}@{config['HOST']}:"
            f"{config['PORT'] or 5432}/{name}"
        )
        env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{url['USER']}:{url['PASSWORD']}@{url['HOST']}:{url['PORT']}/{name}"
            ),
        }
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
            subprocess.run(  # noqa: S603
                [
                    *manage,
                    "benchmark_concurrent_decisions",
                    "--phase",
                    "seed",
                    "--awardees",
                    str(awardees),
                ],
                env=env,
                check=True,
            )
            results = {}
            for index, mode in enumerate(MODES):
                start_at = time.time() + 8  # both workers imported and connected by then
                workers = [
                    subprocess.Popen(  # noqa: S603
                        [
                            *manage,
                            "benchmark_concurrent_decisions",
                            "--phase",
                            "issue",
                            "--mode",
                            mode,
                            "--set",
                            str(2 * index + worker),
                            "--start-at",
                            str(start_at),
                        ],
                        env=env,
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                    for worker in range(2)
                ]
                ends = []
                for worker in workers:
                    out, _err = worker.communicate(timeout=600)
                    if worker.returncode:
                        raise CommandError(f"A worker failed ({mode}).")
                    ends.append(float(out.strip().splitlines()[-1]))
                results[mode] = max(ends) - start_at
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        self.stdout.write(
            f"Two decisions of one organisation at once, {awardees} awardees each "
            "(two processes, time until both are issued):"
        )
        for mode, seconds in results.items():
            self.stdout.write(f"  {MODES[mode]:48} {seconds:6.2f} s")
        ratio = results["reserved"] / results["locked"]
        self.stdout.write(f"  ratio now / before: {ratio:.2f}")
        if ratio >= 1:
            raise CommandError("Numbering first and rendering after was not faster.")

    # The workers ----------------------------------------------------------------------

    def _seed(self, awardees: int) -> None:
        from awards.models import AwardForm, Nomination
        from campaigns.models import Campaign
        from danvan.accounts.models import Membership, Organization, Unit, User

        organization = Organization.objects.create(
            name="Ủy ban nhân dân phường Thử Tải",
            short_name="UBND phường Thử Tải",
            code="thu-tai",
            kind=Organization.Kind.WARD,
            province="Thử nghiệm",
            place_name="Thử Tải",
            header_name="ỦY BAN NHÂN DÂN\nPHƯỜNG THỬ TẢI",
            symbol="UBND",
        )
        chairman = User.objects.create_user(username="thutai.chutich", full_name="Lê Văn Ký")
        Membership.objects.create(user=chairman, organization=organization, role="chairman")
        campaign = Campaign.objects.create(
            organization=organization,
            year=2025,
            name="Phong trào thi đua “Dân vận khéo” năm 2025",
            status=Campaign.Status.ISSUED,
            registration_opens=date(2025, 3, 1),
            registration_deadline=date(2025, 3, 31),
            mid_year_review_starts=date(2025, 6, 16),
            mid_year_review_ends=date(2025, 7, 15),
            year_end_review_starts=date(2025, 11, 17),
            year_end_review_ends=date(2025, 12, 19),
            nomination_deadline=date(2025, 12, 10),
            plan_subject="Về việc phát động phong trào thi đua “Dân vận khéo” năm 2025",
        )
        units = Unit.objects.bulk_create(
            Unit(
                organization=organization,
                name=f"Tổ dân phố số {n}",
                short_name=f"TDP{n}",
                kind="residential",
            )
            for n in range(1, awardees + 1)
        )
        form = AwardForm.objects.get(code="giay-khen-chu-tich-xa")
        rows = []
        for set_index in range(4):
            for index, unit in enumerate(units, start=1):
                name = f"Nguyễn Văn Thành Viên {set_index}-{index}"
                rows.append(
                    Nomination(
                        organization=organization,
                        campaign=campaign,
                        kind="individual",
                        unit=unit,
                        person_name=name,
                        person_position="Tổ trưởng tổ dân phố",
                        award_form=form,
                        achievements="Thành tích xuất sắc.",
                        nominee_key=f"individual:{unit.pk}:{set_index}-{index}",
                        status=Nomination.Status.PASSED,
                        proposed_by=chairman,
                    )
                )
        Nomination.objects.bulk_create(rows, batch_size=1000)

    def _issue(self, mode: str, set_index: int, start_at: float) -> None:
        from awards import services
        from awards.models import Nomination
        from danvan.accounts.models import User
        from danvan.documents.models import DocumentKind, sequence_of
        from danvan.documents.services import _locked_counter

        chairman = User.objects.get(username="thutai.chutich")
        nominations = list(
            Nomination.objects.filter(person_name__startswith=f"Nguyễn Văn Thành Viên {set_index}-")
            .select_related("award_form", "organization", "unit")
            .order_by("pk")
        )
        organization = nominations[0].organization
        connection.ensure_connection()
        # Warm up what every process loads once (imports, fonts) before the clock starts.
        from campaigns.demo import seed_plan_document
        from danvan.documents.render import render_docx, render_pdf

        render_docx(seed_plan_document())
        render_pdf(seed_plan_document())
        time.sleep(max(0.0, start_at - time.time()))
        with transaction.atomic():
            if mode == "locked":
                # The order the portal used to follow: the sequence is taken first and
                # stays locked while the document renders.
                _locked_counter(
                    organization=organization,
                    year=2025,
                    sequence=sequence_of(organization, DocumentKind.DECISION),
                )
            services.decision_issue(
                actor=chairman, nominations=nominations, decided_on=date(2025, 12, 19)
            )
        self.stdout.write(f"{time.time()}")
