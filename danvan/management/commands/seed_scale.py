import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from danvan.management.scale import Generator, Plan


class Command(BaseCommand):
    help = (
        "Add N new organisations with realistic data for load and scale measurements: units, "
        "people in every role (password --password), one campaign a year with registrations "
        "in every status, a year-end round with score sheets, council votes, nominations and "
        "award decisions. Written in bulk (COPY on PostgreSQL); existing organisations are "
        "never touched. National size: --organizations 3321 --registrations-per-org 600 "
        "--years 3 (about 2 million registrations and 8 million scores)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, required=True)
        parser.add_argument(
            "--registrations-per-org", type=int, required=True, help="over all the years"
        )
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--last-year", type=int, default=None, help="default: this year")
        parser.add_argument("--units-per-org", type=int, default=10)
        parser.add_argument("--password", default="scale@2024", help="every seeded account's")
        parser.add_argument("--seed", type=int, default=2024, help="random seed")
        parser.add_argument(
            "--province",
            action="store_true",
            help="also put a province above the new organisations (for benchmark --province)",
        )

    def handle(self, *args, **options):
        if options["organizations"] < 1 or options["registrations_per_org"] < 0:
            raise CommandError(
                "--organizations must be 1 or more, --registrations-per-org 0 or more"
            )
        if options["years"] < 1 or options["units_per_org"] < 1:
            raise CommandError("--years and --units-per-org must be 1 or more")
        plan = Plan(
            organizations=options["organizations"],
            registrations_per_org=options["registrations_per_org"],
            years=options["years"],
            units_per_org=options["units_per_org"],
            password=options["password"],
            seed=options["seed"],
        )
        if options["last_year"]:
            plan.last_year = options["last_year"]
        started = time.perf_counter()
        generator = Generator(plan, progress=self.stdout.write)
        self.stdout.write(
            f"Seeding {plan.organizations:,} organisations (tag {generator.tag}) × "
            f"{plan.registrations_per_org:,} registrations over {plan.years} years "
            f"on {connection.vendor}"
        )
        counts = generator.run()
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s: {summary}."))
        if options["province"]:
            from province.demo import seed_scale_province

            province = seed_scale_province(tag=generator.tag, password=plan.password)
            self.stdout.write(
                f"Province {province.code} above the {plan.organizations:,} new organisations; "
                f"its office: scale-{generator.tag}-province-office."
            )
        self.stdout.write(
            f"Accounts: scale-{generator.tag}-<n>-office / -chairman / -vice / -viewer / "
            f"-evaluator1…{5} / -unit1…{plan.units_per_org}, password {plan.password!r}."
        )
