from django.db.models import QuerySet

from danvan.accounts.models import Organization, User
from danvan.jobs.models import Job


def jobs_of(*, user: User, organization: Organization, limit: int = 50) -> QuerySet[Job]:
    """The user's latest jobs in the organisation, newest first."""
    return Job.objects.filter(owner=user, organization=organization).order_by("-created_at", "-pk")[
        :limit
    ]
