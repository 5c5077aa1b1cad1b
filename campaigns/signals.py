"""What later apps hear about campaigns (they may not be imported from here)."""

from django.dispatch import Signal

# Sent inside the transaction that copies a campaign, with ``source`` and ``clone``: the
# apps that keep per-campaign settings (the registration form) copy theirs.
campaign_cloned = Signal()

# The office sent a draft plan to the chairman and vice-chairmen to read and sign, with
# ``campaign`` (at the version sent). Sent inside the service's transaction.
plan_sent_for_signature = Signal()
