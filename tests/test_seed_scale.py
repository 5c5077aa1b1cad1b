"""The scale generator: new organisations only, every status, valid rows the pages show,
and pages whose query count does not change with other organisations' data."""

import contextlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from awards.models import Award, AwardDecision, Nomination
from danvan.accounts.models import Membership, Organization
from evaluations.models import Assignment, Inspection, Round, Score
from models_registry.models import LateException, Registration
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


def seed(organizations=2, per_org=10, years=1):
    call_command(
        "seed_scale",
        organizations=organizations,
        registrations_per_org=per_org,
        years=years,
        last_year=2025,
        stdout=io.StringIO(),
    )


def snapshot(organization):
    return sorted(
        Registration.objects.filter(organization=organization).values_list(
            "pk", "status", "name", "updated_at", "version"
        )
    )


def test_seeding_leaves_existing_organisations_as_they_were(org, unit):
    campaign = CampaignFactory(organization=org, status="issued")
    RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)
    before = snapshot(org)
    units = list(org.units.values_list("pk", "name"))
    seed()
    assert snapshot(org) == before
    assert list(org.units.values_list("pk", "name")) == units
    assert Organization.objects.count() == 3
    assert Registration.objects.exclude(organization=org).count() == 20


def test_a_tiny_run_has_every_status_and_the_rest_of_the_year():
    seed()
    assert set(Registration.objects.values_list("status", flat=True)) == set(Status.values)
    assert Score.objects.exists()
    assert Assignment.objects.filter(scored_at__isnull=True).exists()  # this year's round
    assert Round.objects.filter(status=Round.Status.OPEN).count() == 2
    assert Nomination.objects.exists()
    assert LateException.objects.count() == 2 * 5  # half the units of each organisation
    commune_roles = set(Membership.Role.values) - {"province_office", "province_viewer"}
    for role in commune_roles:
        assert Membership.objects.filter(role=role).count() >= 2


def test_seeded_inspections_hold_the_totals_their_score_sheets_add_up_to():
    seed(organizations=1, per_org=40, years=2)
    columns = ("pk", "assigned_count", "scored_count", "scored_sum_hundredths")
    written = sorted(Inspection.objects.values_list(*columns))
    assert any(scored for _pk, _assigned, scored, _sum in written)
    Inspection.objects.refresh_results()
    assert sorted(Inspection.objects.values_list(*columns)) == written


def test_past_years_have_an_issued_decision_with_its_awards():
    seed(organizations=1, per_org=40, years=2)
    decision = AwardDecision.objects.get()
    assert decision.issued_document.number_symbol == "01/QĐ-UBND"
    assert decision.awards.count() == Award.objects.count() > 0
    assert decision.total_vnd == sum(a.amount_vnd for a in decision.awards.all())


def test_seeded_pages_answer_for_the_seeded_office(login, queries_for):
    seed(organizations=1, per_org=20)
    office = Membership.objects.get(role="office").user
    chairman = Membership.objects.get(role="chairman").user
    client = login(office)
    registration = Registration.objects.filter(status=Status.RECOGNISED).first()
    round = Round.objects.get()
    decision_less = [
        reverse("models_registry:list"),
        reverse("models_registry:detail", args=[registration.pk]),
        reverse("evaluations:round", args=[round.pk]),
        reverse("awards:home"),
        reverse("admin:models_registry_registration_changelist"),
        reverse("home"),
    ]
    for url in decision_less:
        assert client.get(url).status_code == 200, url
    assert login(chairman).get(reverse("admin:awards_nomination_changelist")).status_code == 200


@pytest.mark.parametrize(
    "url_of",
    [
        lambda r: reverse("models_registry:list"),
        lambda r: reverse("models_registry:list") + "?q=dich+vu&status=accepted",
        lambda r: reverse("models_registry:detail", args=[r.pk]),
        lambda r: reverse("awards:home"),
        lambda r: reverse("admin:models_registry_registration_changelist"),
        lambda r: reverse("home"),
    ],
)
def test_a_pages_query_count_does_not_change_when_other_organisations_are_added(
    login, queries_for, url_of
):
    seed(organizations=1, per_org=12)
    organization = Organization.objects.get()
    office = Membership.objects.get(role="office", organization=organization).user
    registration = Registration.objects.filter(status=Status.RECOGNISED).first()
    client = login(office)
    url = url_of(registration)
    alone = queries_for(client, url)
    seed(organizations=2, per_org=12)
    assert queries_for(client, url) == alone


def test_the_command_refuses_nonsense_sizes():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_scale", organizations=0, registrations_per_org=5)


def test_the_benchmark_measures_every_part_and_writes_json(tmp_path):
    import json

    from django.core.management.base import CommandError

    seed(organizations=1, per_org=20)
    path = tmp_path / "bench.json"
    # A missed target (timings of one run on a busy machine) still writes the figures.
    with contextlib.suppress(CommandError):
        call_command("benchmark", runs=1, json=path, export_rows=10, stdout=io.StringIO())
    data = json.loads(path.read_text())
    labels = [part["label"] for part in data["parts"]]
    assert labels[0].startswith("bare view")
    assert "review queue: first page" in labels
    assert "review queue: first page, built anew (the database changed)" in labels
    assert "review queue's template alone: its first page from a context computed once" in labels
    assert "admin: nomination list" in labels
    assert "the chairman's desk (passed nominations awaiting approval)" in labels
    assert {"home: the office's work inbox", "home: a unit officer's work inbox"} <= set(labels)
    assert all(part["queries"] > 0 for part in data["parts"])
    assert data["memory"][0]["label"] == "registrations export, 10 rows"


def test_the_benchmark_needs_an_organisation_with_data():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No registrations"):
        call_command("benchmark", runs=1, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No organisation"):
        call_command("benchmark", runs=1, organization="nowhere", stdout=io.StringIO())


def test_the_province_roll_up_benchmark_has_the_same_queries_at_one_and_three_communes(tmp_path):
    import json

    from django.core.management.base import CommandError

    def run(organizations: int) -> list[dict]:
        out = io.StringIO()
        call_command(
            "seed_scale",
            organizations=organizations,
            registrations_per_org=10,
            years=1,
            last_year=2025,
            province=True,
            stdout=out,
        )
        code = Organization.objects.filter(kind=Organization.Kind.PROVINCE).latest("pk").code
        path = tmp_path / f"province-{organizations}.json"
        with contextlib.suppress(CommandError):  # a busy machine may miss a target
            call_command("benchmark", runs=1, province=code, json=path, stdout=io.StringIO())
        return json.loads(path.read_text())["parts"]

    one, three = run(1), run(3)
    assert [part["label"] for part in one][1:] == [
        "province roll-up page, searched, page 2",
        "province roll-up: Excel (background job's work)",
        "province roll-up: BC summary DOCX (background job's work)",
    ]
    assert one[0]["label"] == "province roll-up page (1 communes)"
    assert [part["queries"] for part in one] == [part["queries"] for part in three]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "accepted"},
        {"q": "dich vu"},
        {"status": "accepted", "page": 2},
        {"q": "dan van", "page": 2},
    ],
)
def test_the_bare_baseline_lists_the_rows_the_review_queue_shows_office_staff(client, params):
    from django.test import override_settings

    seed(organizations=2, per_org=600)
    organization = Organization.objects.order_by("pk").first()
    office = Membership.objects.filter(
        organization=organization, role=Membership.Role.OFFICE
    ).first()
    client.force_login(office.user)
    with override_settings(ROOT_URLCONF="danvan.benchmark_urls"):
        queue = client.get(reverse("models_registry:list"), params).context["page"]
        bare = client.get(reverse("benchmark_bare"), params).content.decode()
    codes = [registration.code for registration in queue]
    assert len(codes) > 0
    assert queue.number == params.get("page", 1)  # the page asked for, not the last one
    listed = [line.split(" ", 1)[0] for line in bare.split("<li>")[1:]]
    assert listed == codes


def test_the_queue_template_alone_shows_the_queue_and_reads_no_data_after_its_first_call(
    client, django_assert_max_num_queries
):
    from django.test import override_settings

    seed(organizations=1, per_org=40)
    office = Membership.objects.filter(role=Membership.Role.OFFICE).first()
    client.force_login(office.user)
    with override_settings(ROOT_URLCONF="danvan.benchmark_urls"):
        queue = client.get(reverse("models_registry:list"))
        first = client.get(reverse("benchmark_queue_template"))
        changed = Registration.objects.get(pk=queue.context["page"][0].pk)  # a line shown
        changed.name = "Tên đổi sau lần đầu"
        changed.save(update_fields=["name"])
        with django_assert_max_num_queries(5) as queries:  # session, user, layout only
            again = client.get(reverse("benchmark_queue_template"))
    names = [registration.name for registration in queue.context["page"]]
    assert len(names) == 25
    for response in (first, again):
        assert [registration.name for registration in response.context["page"]] == names
    assert "Tên đổi sau lần đầu" not in again.content.decode()
    assert not any("models_registry_registration" in q["sql"] for q in queries.captured_queries)


def test_the_queue_built_anew_reads_its_lines_on_every_request(client):
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    seed(organizations=1, per_org=40)
    office = Membership.objects.filter(role=Membership.Role.OFFICE).first()
    client.force_login(office.user)
    with override_settings(ROOT_URLCONF="danvan.benchmark_urls"):
        first = client.get(reverse("benchmark_queue_anew"))
        changed = Registration.objects.get(pk=first.context["page"][0].pk)
        changed.name = "Tên đổi sau lần đầu"
        changed.save(update_fields=["name"])
        with CaptureQueriesContext(connection) as queries:
            again = client.get(reverse("benchmark_queue_anew"))
    assert "Tên đổi sau lần đầu" in again.content.decode()
    assert any("models_registry_registration" in q["sql"] for q in queries.captured_queries)
