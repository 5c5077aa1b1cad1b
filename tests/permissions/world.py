"""The world the permission matrix runs in: the demo data (two wards, every kind of
object), the people who try each URL, and the objects each URL is tried on."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_str

from danvan.accounts.models import Membership, Organization, User

# Who tries every URL: (role, username in the demo). The unit officer's unit owns the
# registration, nomination and files the URLs name; the outsider is the office of the
# other ward.
ROLES = {
    "anonymous": None,
    "viewer": "phominh.xem",
    "officer": "phominh.mttq",
    "other_officer": "phominh.phunu",
    "evaluator": "phominh.kiemtra",
    "office": "phominh.vanphong",
    "chairman": "phominh.chutich",
    "outsider": "nguyennghiem.vanphong",
}
OWNING_UNIT = "MTTQ"


@dataclass
class Pattern:
    name: str
    route: str
    pattern: URLPattern
    params: list[str] = field(default_factory=list)


def url_patterns() -> list[Pattern]:
    """Every named URL pattern of the portal, the admin's included."""
    found = []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            else:
                route = prefix + str(entry.pattern)
                name = entry.name or route
                full = f"{namespace}:{name}" if namespace else name
                params = re.findall(r"<(?:\w+:)?(\w+)>", route)
                found.append(Pattern(full, route, entry, params))

    walk(get_resolver().url_patterns, "", "")
    return found


def seed_world() -> None:
    call_command("seed_demo", stdout=_Quiet())


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def finished(response):
    """Read a streamed answer (a file) to its end, as a browser would, so that the test
    client closes it."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def clients() -> dict[str, Client]:
    made = {}
    for role, username in ROLES.items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        made[role] = client
    return made


class Objects:
    """The first ward's objects each URL parameter names."""

    def __init__(self):
        from awards.models import Award, AwardDecision, CouncilMeeting, Escalation, Nomination
        from campaigns import services as campaign_services
        from campaigns.models import Campaign, Item, LegalBasis, Section
        from danvan.jobs.models import Job
        from evaluations.models import Assignment, Inspection, Round, SelfAssessmentFile
        from models_registry.models import Evidence, Registration
        from province.models import Proposal
        from reports.models import ReviewReport
        from reports.services import review_report_start

        self.organization = Organization.objects.get(code="pho-minh")
        org = self.organization
        office = User.objects.get(username=ROLES["office"])
        campaigns = Campaign.objects.filter(organization=org, kind="yearly").order_by("year")
        self.closed = campaigns.first()  # 2024, with its awards
        self.current = campaigns.last()  # 2026, in progress
        self.draft = campaign_services.campaign_clone(
            actor=office, campaign=self.current, year=self.current.year + 1
        )
        registrations = Registration.objects.filter(organization=org, unit__short_name=OWNING_UNIT)
        self.registration = (
            registrations.filter(campaign=self.current).order_by("pk").first()
            or registrations.order_by("-pk").first()
        )
        self.evidence = Evidence.objects.filter(registration__organization=org).first()
        self.round = Round.objects.filter(campaign=self.current).order_by("pk").first() or (
            Round.objects.filter(organization=org).order_by("-pk").first()
        )
        self.inspection = (
            Inspection.objects.filter(round=self.round, registration=self.registration).first()
            or Inspection.objects.filter(round=self.round).first()
        )
        evaluator = User.objects.get(username=ROLES["evaluator"])
        self.assignment = (
            Assignment.objects.filter(inspection__round=self.round, evaluator=evaluator).first()
            or Assignment.objects.filter(inspection__round__organization=org).first()
        )
        self.self_file = SelfAssessmentFile.objects.filter(
            inspection__round__organization=org
        ).first()
        self.nomination = Nomination.objects.filter(
            campaign=self.closed, unit__short_name=OWNING_UNIT
        ).first()
        self.meeting = CouncilMeeting.objects.filter(campaign=self.closed).first()
        self.decision = AwardDecision.objects.filter(campaign=self.closed).first()
        self.award = Award.objects.filter(decision=self.decision).first()
        self.escalation = Escalation.objects.filter(nomination__campaign=self.closed).first()
        self.document = self.decision.issued_document
        self.section = Section.objects.filter(campaign=self.draft).order_by("position").first()
        self.item = Item.objects.filter(section=self.section).order_by("pk").first()
        self.basis = LegalBasis.objects.filter(campaign=self.draft).first()
        self.job = Job.objects.create(
            organization=org,
            owner=office,
            kind="registrations.export",
            title="Xuất Excel danh sách mô hình",
            status=Job.Status.DONE,
        )
        self.office = office
        self._more_objects(org, office)
        self.commune = org
        self.proposal = Proposal.objects.filter(commune=org).first()
        self.report = review_report_start(
            actor=office, campaign=self.current, kind=ReviewReport.Kind.YEAR_END
        )

    def _more_objects(self, org, office):
        """Objects the demo does not make, so that every URL names one that exists."""
        from django.contrib.auth.models import Group
        from django.core.files.base import ContentFile

        from danvan.accounts.models import IssuingBody, UnitGroup
        from evaluations.models import ReminderSent, SelfAssessmentFile
        from notifications.models import Kind, Notification

        IssuingBody.objects.create(
            organization=org,
            kind=IssuingBody.Kind.PARTY,
            head_name="Nguyễn Văn Tín",
            **IssuingBody.defaults_for(IssuingBody.Kind.PARTY, org),
        )
        UnitGroup.objects.create(organization=org, name="Khu dân cư")
        self.notification = Notification.objects.create(
            organization=org,
            recipient=User.objects.get(username=ROLES["officer"]),
            kind=Kind.PLAN_FOR_SIGNATURE,
            params={"campaign": self.draft.name},
            event_key="thu-quyen",
            url="/registrations/",
        )
        Group.objects.create(name="Thử quyền")
        unit = self.registration.unit
        from models_registry.models import LateException, LateRequest

        self.late_request = LateRequest.objects.create(
            campaign=self.current,
            organization=org,
            unit=unit,
            requested_by=User.objects.get(username=ROLES["officer"]),
            reason="Thử quyền",
            wished_until=timezone.localdate() + timedelta(days=7),
        )
        # Recorded as it stands (the world is built on whatever today is, after the
        # campaign's year-end review perhaps, where no extension may be granted anew).
        LateException.objects.create(
            campaign=self.current,
            unit=unit,
            expires_on=timezone.localdate() + timedelta(days=7),
            reason="Thử quyền",
            granted_by=office,
        )
        ReminderSent.objects.create(
            round=self.round,
            evaluator=User.objects.get(username=ROLES["evaluator"]),
            sent_on=timezone.localdate(),
            pending=1,
        )
        if self.inspection is not None:
            self.self_file = SelfAssessmentFile.objects.create(
                inspection=self.inspection,
                original_name="bien-ban.pdf",
                content_type="application/pdf",
                size=8,
                uploaded_by=office,
                file=ContentFile(b"%PDF-1.4", name="bien-ban.pdf"),
            )

    def kwargs(self, pattern: Pattern) -> dict:
        """The URL's arguments, naming this ward's objects."""
        values = {}
        for param in pattern.params:
            value = self._value(pattern, param)
            assert value is not None, f"no object for {pattern.name}"
            values[param] = value
        return values

    def admin_object_id(self, pattern: Pattern) -> str:
        """For an admin URL about a model, the object of this ward its bulk actions would
        touch; empty for any other URL."""
        if not pattern.name.startswith("admin:"):
            return ""
        try:
            _admin_model(pattern)
        except AssertionError:
            return ""
        return self._admin_value(pattern, "object_id")

    def _value(self, pattern: Pattern, param: str):
        name = pattern.name
        app = name.split(":")[0]
        if app == "admin":
            return self._admin_value(pattern, param)
        if param == "fmt":
            return "pdf"
        if param == "kind":
            return "year_end" if app == "reports" else "section"
        if param == "direction":
            return "down"
        if param == "to":
            return "accepted"
        if param == "document":
            return "minutes"
        if param == "code":
            if name == "public_honours":
                return self.organization.code
            return self.document.verification_code or "KHONGCO"
        if param == "uidb64":
            return "MQ"
        if param == "token":
            return "khong-hop-le"
        if param == "section_pk":
            return self.section.pk
        if param == "parent_pk":
            return self.item.pk
        if param == "part_pk":
            return self.section.pk
        if param == "evidence_pk":
            return self.evidence and self.evidence.pk
        if param == "file_pk":
            return self.self_file and self.self_file.pk
        if param == "meeting_pk":
            return self.meeting.pk
        if param == "escalation_pk":
            return self.escalation.pk
        if param == "request_pk":
            return self.late_request.pk
        if app == "api":
            return self._api_value(name, param)
        if param == "campaign_pk":
            return (self.closed if app == "awards" else self.current).pk
        assert param == "pk", (name, param)
        by_app = {
            "notifications": self.notification,
            "province": self.commune if name == "province:commune" else self.proposal,
            "campaigns": self.draft,
            "models_registry": self.registration,
            "documents": self.document,
            "jobs": self.job,
        }
        if app in by_app:
            return by_app[app] and by_app[app].pk
        return self._pk_by_route(name)

    def _api_value(self, name: str, param: str) -> str:
        """The API answers tokens, not sessions: any object of the ward will do."""
        if param == "fmt":
            return "pdf"
        obj = {
            "organization": self.organization,
            "campaign": self.current,
            "registration": self.registration,
            "round": self.round,
            "nomination": self.nomination,
            "decision": self.decision,
            "award": self.award,
        }
        for word, value in obj.items():
            if word in name:
                return str(value.pk)
        return str(self.organization.pk)

    def _pk_by_route(self, name: str):
        for prefix, obj in (
            ("evaluations:round", self.round),
            ("evaluations:inspection", self.inspection),
            ("evaluations:self_assessment", self.inspection),
            ("evaluations:minutes", self.inspection),
            ("evaluations:score", self.assignment),
            ("evaluations:assignment", self.assignment),
            ("evaluations:assign", self.round),
            ("awards:campaign", self.closed),
            ("awards:nomination", self.nomination),
            ("awards:meeting", self.meeting),
            ("awards:decision", self.decision),
            ("awards:revoke", self.award),
            ("awards:certificate", self.award),
            ("awards:escalation", self.escalation),
            ("reports:progress", self.current),
            ("reports:start", self.current),
            ("reports:", self.report),
        ):
            if name.startswith(prefix):
                return obj and obj.pk
        raise AssertionError(f"no object for {name}")

    def _admin_value(self, pattern: Pattern, param: str):
        if param == "app_label":
            return "awards"
        if param == "url":
            return "khong-co/"
        if param == "id":
            return str(User.objects.get(username=ROLES["officer"]).pk)
        if param == "content_type_id":
            return str(ContentType.objects.get_for_model(self.registration).pk)
        if param != "object_id":
            return None
        if pattern.name == "admin:view_on_site":
            return str(self.registration.pk)
        model = _admin_model(pattern)
        request = RequestFactory().get("/admin/")
        request.user = self.office
        request.organization = self.organization
        model_admin = admin.site._registry[model]
        # The ward's own object if the back office shows the office one, else any (an
        # installation-wide row, or one the office must not reach).
        obj = (
            model_admin.get_queryset(request).order_by("pk").first()
            or model._default_manager.order_by("pk").first()
        )
        return str(obj.pk) if obj is not None else "999999"


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _admin_model(pattern: Pattern):
    """The model an admin URL is about: ``admin:<app>_<model>_<view>`` or the route
    ``admin/<app>/<model>/…``."""
    for model in admin.site._registry:
        meta = model._meta
        if pattern.name.startswith(f"admin:{meta.app_label}_{meta.model_name}_"):
            return model
        if pattern.route.startswith(f"admin/{meta.app_label}/{meta.model_name}/"):
            return model
    raise AssertionError(f"no model for {pattern.name}")


# The state a request must not change: row counts of every table (the audit trail's
# included: every change through a service writes an event), and the latest change and
# version of every table that records them.
SKIPPED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


def state_query() -> str:
    parts = []
    for model in apps.get_models():
        table = model._meta.db_table
        if table in SKIPPED_TABLES or model._meta.proxy or not model._meta.managed:
            continue
        quoted = connection.ops.quote_name(table)
        parts.append(f"(SELECT COUNT(*) FROM {quoted})")  # noqa: S608 (quoted table names)
        for stamp in ("updated_at", "version"):
            if _has_field(model, stamp):
                column = connection.ops.quote_name(model._meta.get_field(stamp).column)
                parts.append(f"(SELECT MAX({column}) FROM {quoted})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def state(query: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return tuple(force_str(value) for value in cursor.fetchone())


def memberships_of(username: str) -> list:
    return list(Membership.objects.filter(user__username=username).values_list("role", flat=True))
