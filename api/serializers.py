"""What each endpoint returns. Read-only; every field is documented in the schema."""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awards.models import Award, AwardDecision, Nomination
from campaigns.models import Campaign
from danvan.accounts.models import Organization, Unit
from evaluations.models import Round
from evaluations.scoring import as_points
from models_registry.models import Field, Registration
from models_registry.questions import answers_of, questions_for

FORMATS = ("pdf", "docx")
NULLABLE_NUMBER = {"type": "number", "format": "double", "nullable": True}


# Shared pieces --------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: not_found, invalid, …")
    message = serializers.CharField(help_text="For people (Vietnamese).")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: the messages of each parameter.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class FileLinkSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=FORMATS)
    url = serializers.URLField(help_text="Download with the same token (this API).")
    portal_url = serializers.URLField(
        help_text="The portal's own download, for a signed-in user with the right to it."
    )


def document_links(request, document, api_name: str, portal_name: str, pk: int) -> list[dict]:
    """The files of an issued document: through the API (the token) and through the
    portal's permission-checked download (a signed-in user)."""
    if document is None or not document.is_ready:
        return []
    return [
        {
            "format": fmt,
            "url": request.build_absolute_uri(reverse(api_name, args=[pk, fmt])),
            "portal_url": request.build_absolute_uri(reverse(portal_name, args=[pk, fmt])),
        }
        for fmt in FORMATS
    ]


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name", default=None, allow_null=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "group", "is_active"]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "code", "name", "name_en", "position", "is_active"]


# Organisations -----------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "code", "kind", "province", "place_name", "symbol"]


class OrganizationDetailSerializer(OrganizationSerializer):
    units = UnitSerializer(many=True)
    # ("fields" would hide the serializer's own attribute of that name.)
    field_list = FieldSerializer(
        many=True, source="fields", help_text="The organisation's fields (lĩnh vực)."
    )

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "units", "field_list"]


# Campaigns ---------------------------------------------------------------------------


class PlanSerializer(serializers.Serializer):
    """The launch plan's metadata."""

    document_kind = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    number_symbol = serializers.CharField(allow_null=True, help_text="“46/KH-UBND”, once issued.")
    issue_date = serializers.DateField(allow_null=True)
    subject = serializers.CharField()
    issuing_body = serializers.CharField(allow_null=True, help_text="Null: the People's Committee.")
    signing_mode = serializers.CharField()
    files = FileLinkSerializer(many=True)


class CampaignSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id")
    stage = serializers.IntegerField(source="stage_id", allow_null=True)
    plan = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "organization",
            "name",
            "kind",
            "year",
            "end_year",
            "stage",
            "form",
            "status",
            "registration_opens",
            "registration_deadline",
            "mid_year_review_starts",
            "mid_year_review_ends",
            "year_end_review_starts",
            "year_end_review_ends",
            "nomination_deadline",
            "plan",
        ]

    @extend_schema_field(PlanSerializer)
    def get_plan(self, campaign: Campaign) -> dict:
        document = campaign.issued_document
        return {
            "document_kind": campaign.document_kind,
            "number": document.number if document else campaign.plan_number,
            "number_symbol": document.number_symbol if document else None,
            "issue_date": campaign.plan_issue_date,
            "subject": campaign.plan_subject,
            "issuing_body": campaign.issuing_body.name if campaign.issuing_body_id else None,
            "signing_mode": campaign.signing_mode,
            "files": document_links(
                self.context["request"],
                document,
                "api:campaign_plan_file",
                "campaigns:plan_download",
                campaign.pk,
            ),
        }


class LegalBasisSerializer(serializers.Serializer):
    reference = serializers.CharField()
    number = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)


class PlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    lead = serializers.CharField()
    text = serializers.CharField()
    role = serializers.CharField()


class PlanSectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    items = PlanItemSerializer(many=True, source="items.all")


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField(
        help_text="text, long_text, money, integer, date, field, owner, partners, milestones "
        "or, for an added question, text, long_text, number."
    )
    label = serializers.CharField()
    help_text = serializers.CharField()
    required = serializers.BooleanField()
    shown = serializers.BooleanField()
    added = serializers.BooleanField(source="extra", help_text="Added by the organisation.")


class CampaignDetailSerializer(CampaignSerializer):
    legal_bases = LegalBasisSerializer(many=True, source="legal_bases.all")
    sections = PlanSectionSerializer(many=True, source="sections.all")
    questions = serializers.SerializerMethodField(
        help_text="The campaign's registration form: the questions it asks, in order."
    )

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "legal_bases", "sections", "questions"]

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, campaign: Campaign) -> list:
        return QuestionSerializer(questions_for(campaign), many=True).data


# Registrations -----------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id")
    campaign = RefSerializer()
    unit = RefSerializer()
    field = RefSerializer(allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "organization",
            "campaign",
            "code",
            "name",
            "status",
            "unit",
            "field",
            "owner_kind",
            "recognition_level",
            "launched_on",
            "submitted_at",
            "decided_at",
            "updated_at",
        ]


class AnswerSerializer(serializers.Serializer):
    key = serializers.CharField(source="question.key")
    label = serializers.CharField(source="question.label")
    kind = serializers.CharField(source="question.kind")
    added = serializers.BooleanField(source="question.extra")
    text = serializers.CharField(help_text="The answer as the portal shows it.")


class RegistrationDetailSerializer(RegistrationSerializer):
    answers = serializers.SerializerMethodField(
        help_text="The answers to the questions the campaign's form shows, in its order."
    )
    kept_answers = serializers.SerializerMethodField(
        help_text="Answers to questions the form no longer shows (kept, never lost)."
    )

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "answers", "kept_answers"]

    def _answers(self, registration):
        cached = getattr(registration, "_api_answers", None)
        if cached is None:
            # In Vietnamese, whatever language the client's cookies name: the API's text
            # is the record's, as the documents print it.
            with translation.override("vi"):
                cached = answers_of(registration)
            registration._api_answers = cached
        return cached

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, registration) -> list:
        return AnswerSerializer(self._answers(registration)[0], many=True).data

    @extend_schema_field(AnswerSerializer(many=True))
    def get_kept_answers(self, registration) -> list:
        return AnswerSerializer(self._answers(registration)[1], many=True).data


# Rounds and results --------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id")
    campaign = RefSerializer()
    models = serializers.IntegerField(help_text="How many models the round inspects.")

    class Meta:
        model = Round
        fields = [
            "id",
            "organization",
            "campaign",
            "kind",
            "name",
            "status",
            "starts_on",
            "ends_on",
            "opened_at",
            "closed_at",
            "models",
        ]


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    passing = serializers.BooleanField()


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The inspection (one model in one round).")
    registration = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    field = serializers.SerializerMethodField()
    scored = serializers.IntegerField(source="scored_count", help_text="Evaluators who scored.")
    mean = serializers.SerializerMethodField(help_text="Mean total, 0–100, two decimals.")
    lowest = serializers.SerializerMethodField()
    highest = serializers.SerializerMethodField()
    self_total = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    rating = serializers.SerializerMethodField()

    @extend_schema_field(RefSerializer)
    def get_registration(self, row) -> dict:
        return {"id": row.registration.pk, "name": row.registration.name}

    @extend_schema_field(RefSerializer)
    def get_unit(self, row) -> dict:
        unit = row.registration.unit
        return {"id": unit.pk, "name": unit.name}

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_field(self, row) -> dict | None:
        field = row.registration.field
        return {"id": field.pk, "name": field.name} if field else None

    @extend_schema_field(NULLABLE_NUMBER)
    def get_mean(self, row) -> float | None:
        return _points(row.mean)

    @extend_schema_field(NULLABLE_NUMBER)
    def get_lowest(self, row) -> float | None:
        return _points(row.lowest)

    @extend_schema_field(NULLABLE_NUMBER)
    def get_highest(self, row) -> float | None:
        return _points(row.highest)

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, row) -> dict | None:
        band = self.context["bands"].get(row.band_id)
        if band is None:
            return None
        return {"id": band.pk, "name": band.name, "passing": band.passing}


def _points(hundredths) -> float | None:
    value = as_points(hundredths)
    return None if value is None else float(value)


# Nominations, decisions, awards ----------------------------------------------------------


class EscalationSerializer(serializers.Serializer):
    sent_to = serializers.CharField()
    sent_on = serializers.DateField()
    reference = serializers.CharField()
    status = serializers.CharField()
    outcome_on = serializers.DateField(allow_null=True)
    outcome_note = serializers.CharField()


class NominationSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id")
    campaign = RefSerializer()
    unit = RefSerializer(allow_null=True)
    registration = serializers.IntegerField(source="registration_id", allow_null=True)
    award_form = RefSerializer()
    nominee = serializers.CharField(source="nominee_name")
    escalation = serializers.SerializerMethodField(
        help_text="When proposed to the level above: where, when and the outcome."
    )
    report_url = serializers.SerializerMethodField(
        help_text="The uploaded achievement report, through the portal's download "
        "(a signed-in user with the right to it); null when none was uploaded."
    )

    class Meta:
        model = Nomination
        fields = [
            "id",
            "organization",
            "campaign",
            "kind",
            "status",
            "status_reason",
            "nominee",
            "unit",
            "person_name",
            "person_position",
            "registration",
            "award_form",
            "achievements",
            "escalation",
            "report_url",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(EscalationSerializer(allow_null=True))
    def get_escalation(self, nomination) -> dict | None:
        escalation = getattr(nomination, "escalation", None)
        return EscalationSerializer(escalation).data if escalation is not None else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_report_url(self, nomination) -> str | None:
        if not nomination.report:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("awards:nomination_report", args=[nomination.pk, nomination.report_format])
        )


class DecisionSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id")
    campaign = RefSerializer()
    number_symbol = serializers.CharField(source="issued_document.number_symbol")
    subject = serializers.CharField(source="issued_document.subject")
    signer = serializers.CharField(source="signer.full_name")
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    replaced_by = serializers.SerializerMethodField()
    award_count = serializers.IntegerField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = AwardDecision
        fields = [
            "id",
            "organization",
            "campaign",
            "number_symbol",
            "subject",
            "decided_on",
            "signer",
            "base_salary_vnd",
            "total_vnd",
            "replaces",
            "replacement_reason",
            "replaced_by",
            "award_count",
            "files",
        ]

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_replaced_by(self, decision) -> int | None:
        replacement = getattr(decision, "replaced_by", None)
        return replacement.pk if replacement is not None else None

    @extend_schema_field(FileLinkSerializer(many=True))
    def get_files(self, decision) -> list:
        return document_links(
            self.context["request"],
            decision.issued_document,
            "api:decision_file",
            "awards:decision_download",
            decision.pk,
        )


class AwardSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id")
    decision = serializers.IntegerField(source="decision_id")
    nomination = serializers.IntegerField(source="nomination_id")
    award_form = RefSerializer()
    multiplier = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    revoked = serializers.BooleanField(source="is_revoked")

    class Meta:
        model = Award
        fields = [
            "id",
            "organization",
            "decision",
            "nomination",
            "award_form",
            "recipient_name",
            "recipient_detail",
            "recipient_kind",
            "multiplier",
            "amount_vnd",
            "revoked",
            "revoked_at",
            "revoked_reason",
            "superseded",
        ]


class DecisionDetailSerializer(DecisionSerializer):
    awards = AwardSerializer(many=True, source="awards.all")

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "awards"]


class AwardListSerializer(AwardSerializer):
    decided_on = serializers.DateField(source="decision.decided_on")
    decision_number_symbol = serializers.CharField(source="decision.issued_document.number_symbol")
    unit = serializers.SerializerMethodField()

    class Meta(AwardSerializer.Meta):
        fields = [*AwardSerializer.Meta.fields, "decided_on", "decision_number_symbol", "unit"]

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_unit(self, award) -> dict | None:
        unit = award.nomination.unit
        return {"id": unit.pk, "name": unit.name} if unit else None
