"""The read API, version 1 (docs/api.md). Thin views: the token's scope comes from
``request.auth.organization_ids()``, the rows from ``api.selectors``."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated

from api import filters, selectors, serializers
from danvan.documents.selectors import issued_file_response
from evaluations.models import Inspection


class JsonOnly(DefaultContentNegotiation):
    """The data endpoints answer in JSON alone: ``?format=`` is not read (it is refused as
    an unknown parameter, a 400, not a 404), and an Accept header does not change it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class TokenScoped:
    # What every endpoint shares: a token is required, its rate limit applies, and the
    # response says how much of it is left.

    permission_classes = [IsAuthenticated]
    # Read only: anything but GET (and HEAD) is 405, OPTIONS included.
    http_method_names = ["get", "head"]
    content_negotiation_class = JsonOnly

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.refuse_unknown_parameters(request)

    def refuse_unknown_parameters(self, request):
        """A parameter the endpoint does not know is an error (a misspelt filter would
        otherwise return everything), and so is a parameter given twice or a cursor
        given empty."""
        known = set()
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        if getattr(self, "pagination_class", None) is not None and isinstance(
            self, generics.ListAPIView
        ):
            known |= {"cursor", "page_size"}
        params = request.query_params
        errors = {name: [_("Tham số không có trong API.")] for name in set(params) - known}
        for name in set(params) & known:
            if len(params.getlist(name)) > 1:
                errors[name] = [_("Mỗi tham số chỉ được ghi một lần.")]
            elif name == "cursor" and not params[name]:
                errors[name] = [_("Con trỏ trang không được để trống.")]
        if errors:
            raise ValidationError(dict(sorted(errors.items())))

    @property
    def organization_ids(self) -> frozenset[int]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator's visit
            return frozenset()
        return self.request.auth.organization_ids()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        limit = getattr(request, "rate_limit", None)
        if limit is not None:
            response["X-RateLimit-Limit"] = str(limit[0])
            response["X-RateLimit-Remaining"] = str(limit[1])
            response["X-RateLimit-Reset"] = str(limit[2])
        return response


class ListView(TokenScoped, generics.ListAPIView):
    pass


class DetailView(TokenScoped, generics.RetrieveAPIView):
    pass


# Organisations -------------------------------------------------------------------------


@extend_schema(tags=["organizations"], summary="Organisations the token reads")
class OrganizationList(ListView):
    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self):
        return selectors.api_organizations(self.organization_ids)


@extend_schema(tags=["organizations"], summary="One organisation, with its units and fields")
class OrganizationDetail(DetailView):
    serializer_class = serializers.OrganizationDetailSerializer

    def get_queryset(self):
        return selectors.api_organization_detail(self.organization_ids)


# Campaigns ------------------------------------------------------------------------------


@extend_schema(tags=["campaigns"], summary="Campaigns (issued or closed)")
class CampaignList(ListView):
    serializer_class = serializers.CampaignSerializer
    filterset_class = filters.CampaignFilter

    def get_queryset(self):
        return selectors.api_campaigns(self.organization_ids)


@extend_schema(
    tags=["campaigns"], summary="One campaign: plan metadata, parts and registration form"
)
class CampaignDetail(DetailView):
    serializer_class = serializers.CampaignDetailSerializer

    def get_queryset(self):
        return selectors.api_campaign_detail(self.organization_ids)


# Registrations ---------------------------------------------------------------------------


@extend_schema(tags=["registrations"], summary="Registered models (submitted at least once)")
class RegistrationList(ListView):
    serializer_class = serializers.RegistrationSerializer
    filterset_class = filters.RegistrationFilter

    def get_queryset(self):
        return selectors.api_registrations(self.organization_ids)


@extend_schema(
    tags=["registrations"], summary="One registration, with the answers its campaign's form asks"
)
class RegistrationDetail(DetailView):
    serializer_class = serializers.RegistrationDetailSerializer

    def get_queryset(self):
        return selectors.api_registration_detail(self.organization_ids)


# Rounds and results ----------------------------------------------------------------------


@extend_schema(tags=["evaluations"], summary="Inspection and evaluation rounds")
class RoundList(ListView):
    serializer_class = serializers.RoundSerializer
    filterset_class = filters.RoundFilter

    def get_queryset(self):
        return selectors.api_rounds(self.organization_ids)


@extend_schema(tags=["evaluations"], summary="One round")
class RoundDetail(DetailView):
    serializer_class = serializers.RoundSerializer

    def get_queryset(self):
        return selectors.api_rounds(self.organization_ids)


@extend_schema(
    tags=["evaluations"],
    summary="Results of a closed round: each model's mean score and rating",
    description="An open or planned round has no results yet: the list is empty.",
)
class RoundResults(ListView):
    serializer_class = serializers.ResultSerializer
    filterset_class = filters.ResultFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        round = selectors.api_round(self.organization_ids, self.kwargs["pk"])
        if round is None:
            raise Http404
        rows, bands = selectors.api_round_results(round)
        self.bands = {band.pk: band for band in bands}
        return rows

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "bands": getattr(self, "bands", {})}


# Nominations, decisions, awards -----------------------------------------------------------


@extend_schema(tags=["awards"], summary="Nominations (đề nghị khen thưởng)")
class NominationList(ListView):
    serializer_class = serializers.NominationSerializer
    filterset_class = filters.NominationFilter

    def get_queryset(self):
        return selectors.api_nominations(self.organization_ids)


@extend_schema(tags=["awards"], summary="One nomination")
class NominationDetail(DetailView):
    serializer_class = serializers.NominationSerializer

    def get_queryset(self):
        return selectors.api_nominations(self.organization_ids)


@extend_schema(tags=["awards"], summary="Award decisions (quyết định khen thưởng)")
class DecisionList(ListView):
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self):
        return selectors.api_decisions(self.organization_ids)


@extend_schema(tags=["awards"], summary="One decision, with its awards")
class DecisionDetail(DetailView):
    serializer_class = serializers.DecisionDetailSerializer

    def get_queryset(self):
        return selectors.api_decision_detail(self.organization_ids)


@extend_schema(tags=["awards"], summary="Awards (one per awardee of a decision)")
class AwardList(ListView):
    serializer_class = serializers.AwardListSerializer
    filterset_class = filters.AwardFilter

    def get_queryset(self):
        return selectors.api_awards(self.organization_ids)


@extend_schema(tags=["awards"], summary="One award")
class AwardDetail(DetailView):
    serializer_class = serializers.AwardListSerializer

    def get_queryset(self):
        return selectors.api_awards(self.organization_ids)


# Files ------------------------------------------------------------------------------------

FILE_RESPONSES = {
    (200, "application/pdf"): OpenApiTypes.BINARY,
    (
        200,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ): OpenApiTypes.BINARY,
}
FORMAT_PARAMETER = OpenApiParameter(
    "fmt", str, OpenApiParameter.PATH, enum=list(serializers.FORMATS), description="pdf or docx"
)


class DocumentFile(TokenScoped, generics.GenericAPIView):
    # The issued document's file, byte for byte as issued (checked against its SHA-256,
    # see ``danvan.documents.selectors.issued_file_response``).

    def perform_content_negotiation(self, request, force=False):
        # The file is what it is; errors are JSON whatever the client accepts.
        return super().perform_content_negotiation(request, force=True)

    def document_of(self, pk: int):  # pragma: no cover - per view
        raise NotImplementedError

    def get(self, request, pk: int, fmt: str):
        document, filename = self.document_of(pk)
        if document is None or not document.is_ready:
            raise Http404
        return issued_file_response(
            document, fmt, filename=f"{filename} {document.number_symbol.replace('/', '-')}.{fmt}"
        )


@extend_schema(
    tags=["campaigns"],
    summary="The campaign's issued plan (PDF or DOCX)",
    parameters=[FORMAT_PARAMETER],
    responses=FILE_RESPONSES,
)
class CampaignPlanFile(DocumentFile):
    def document_of(self, pk: int):
        campaign = selectors.api_campaigns(self.organization_ids).filter(pk=pk).first()
        return (campaign.issued_document if campaign else None), "Kế hoạch"


@extend_schema(
    tags=["awards"],
    summary="The issued decision (PDF or DOCX)",
    parameters=[FORMAT_PARAMETER],
    responses=FILE_RESPONSES,
)
class DecisionFile(DocumentFile):
    def document_of(self, pk: int):
        decision = selectors.api_decisions(self.organization_ids).filter(pk=pk).first()
        return (decision.issued_document if decision else None), "Quyết định"
