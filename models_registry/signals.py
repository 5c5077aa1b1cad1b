"""Every new organisation starts with the four common fields (lĩnh vực); a copied
campaign keeps its registration form."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from campaigns.signals import campaign_cloned
from danvan.accounts.models import Organization
from models_registry.migrations._reference import seed_fields
from models_registry.models import Field


@receiver(post_save, sender=Organization, dispatch_uid="models_registry.seed_fields")
def give_new_organization_the_common_fields(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seed_fields(Field, instance.pk)


@receiver(campaign_cloned, dispatch_uid="models_registry.copy_registration_form")
def copy_registration_form(sender, source, clone, **kwargs):
    from models_registry.services import registration_form_copy

    registration_form_copy(source=source, target=clone)
