"""Rendering a large document in the background (django.tasks, see danvan.jobs).

A feature registers a builder — a function from JSON arguments to an
``OfficialDocument`` — under a name, and starts a job with ``render_document``; the
worker renders the DOCX or PDF and keeps it as the job's file. Numbering and issuing
stay in ``danvan.documents.services``: this renders drafts and copies, it issues nothing.
"""

from collections.abc import Callable

from django.tasks import task
from django.utils import translation

from danvan.accounts.models import User
from danvan.documents import services
from danvan.documents.layout import OfficialDocument
from danvan.documents.models import IssuedDocument
from danvan.documents.render import render_docx, render_pdf
from danvan.documents.selectors import CONTENT_TYPES
from danvan.jobs.services import job_running

BUILDERS: dict[str, Callable[..., tuple[OfficialDocument, str]]] = {}


def register_builder(name: str):
    """``@register_builder("campaign_plan")`` on a function returning (document, file
    name without extension) for its JSON arguments."""

    def register(builder):
        BUILDERS[name] = builder
        return builder

    return register


@task
def render_document(job_id: int, builder: str, fmt: str, arguments: dict) -> str:
    with job_running(job_id) as job:
        if job is None:
            return ""
        if builder not in BUILDERS or fmt not in CONTENT_TYPES:
            raise ValueError(f"Unknown document builder or format: {builder!r}, {fmt!r}")
        job.set_total(1)
        # An official document is written in Vietnamese, whoever asked for it and in
        # whatever language the worker runs (as the exports are).
        with translation.override("vi"):
            document, name = BUILDERS[builder](organization=job.job.organization, **arguments)
            content = render_docx(document) if fmt == "docx" else render_pdf(document)
        job.step(1)
        job.save_result(f"{name}.{fmt}", content, content_type=CONTENT_TYPES[fmt])
        return name


@task
def render_issued(document_id: int, actor_id: int | None = None) -> str:
    """Make a long numbered document's files (``services.document_render``), as
    ``services.document_render_after`` asks for one: a failure is recorded on the
    document, whose page offers to render it again, and re-raised for the queue."""
    document = IssuedDocument.objects.get(pk=document_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return services.document_render(document=document, actor=actor).status
