"""E-mail about registrations, sent after the change is committed."""

from django.urls import reverse

from danvan.accounts.models import Membership
from danvan.mail import absolute_url, send_templated_mail

Role = Membership.Role


def _emails(memberships, *, exclude=None) -> list[str]:
    return [
        m.user.email
        for m in memberships.select_related("user")
        if m.user.email and m.user.is_active and m.user_id != getattr(exclude, "pk", None)
    ]


def office_emails(organization_id: int, *, exclude=None) -> list[str]:
    return _emails(
        Membership.objects.filter(organization_id=organization_id, role=Role.OFFICE),
        exclude=exclude,
    )


def unit_officer_emails(unit_id: int, *, exclude=None) -> list[str]:
    return _emails(
        Membership.objects.filter(unit_id=unit_id, role=Role.UNIT_OFFICER), exclude=exclude
    )


def _link(registration) -> str:
    return absolute_url(reverse("models_registry:detail", args=[registration.pk]))


# The side that did not act hears about it.
TO_OFFICE = {"submitted", "withdrawn"}


def status_changed(registration, *, actor) -> int:
    if registration.status in TO_OFFICE:
        recipients = office_emails(registration.organization_id, exclude=actor)
    else:
        recipients = unit_officer_emails(registration.unit_id, exclude=actor)
    return send_templated_mail(
        to=recipients,
        subject_template="models_registry/email/status_subject.txt",
        body_template="models_registry/email/status_body.txt",
        context={"registration": registration, "actor": actor, "link": _link(registration)},
    )


def comment_added(comment) -> int:
    registration = comment.registration
    author = comment.author
    from danvan.accounts.selectors import unit_ids_in

    from_unit = registration.unit_id in unit_ids_in(
        author, registration.organization_id, Role.UNIT_OFFICER
    )
    if from_unit:
        recipients = office_emails(registration.organization_id, exclude=author)
    else:
        recipients = unit_officer_emails(registration.unit_id, exclude=author)
    return send_templated_mail(
        to=recipients,
        subject_template="models_registry/email/comment_subject.txt",
        body_template="models_registry/email/comment_body.txt",
        context={"registration": registration, "comment": comment, "link": _link(registration)},
    )
