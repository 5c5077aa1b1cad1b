"""Every new organisation starts with the four common fields (lĩnh vực)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from danvan.accounts.models import Organization
from models_registry.migrations._reference import seed_fields
from models_registry.models import Field


@receiver(post_save, sender=Organization, dispatch_uid="models_registry.seed_fields")
def give_new_organization_the_common_fields(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seed_fields(Field, instance.pk)
