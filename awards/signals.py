"""What later apps hear about the commendation (they may not be imported from here)."""

from django.dispatch import Signal

# The council's votes were recorded and some nominations passed: ``meeting`` and
# ``nominations`` (those that passed in this recording). Sent inside its transaction.
nominations_passed = Signal()
