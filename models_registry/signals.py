"""Every new organisation starts with the four common fields (lĩnh vực); a copied
campaign keeps its registration form. And what later apps hear about registrations
(they may not be imported from here)."""

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from campaigns.signals import campaign_cloned
from danvan.accounts.models import Organization
from models_registry.migrations._reference import seed_fields
from models_registry.models import Field

# A unit asked to submit after the registration deadline: ``late_request``. Sent inside
# the service's transaction.
late_requested = Signal()
# The office granted or refused a unit's late-submission request: ``late_request`` (with
# its new status). Sent inside the service's transaction.
late_request_decided = Signal()
# A registration moved to another status (sent, returned, accepted, …): ``registration``
# (as it now is) and ``actor``. Sent inside the service's transaction; not for a move of
# the past being recorded now.
registration_moved = Signal()
# A message was posted on a registration: ``comment``. Sent inside the transaction.
comment_posted = Signal()


@receiver(post_save, sender=Organization, dispatch_uid="models_registry.seed_fields")
def give_new_organization_the_common_fields(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seed_fields(Field, instance.pk)


@receiver(campaign_cloned, dispatch_uid="models_registry.copy_registration_form")
def copy_registration_form(sender, source, clone, **kwargs):
    from models_registry.services import registration_form_copy

    registration_form_copy(source=source, target=clone)
