"""What later apps hear about evaluation rounds (they may not be imported from here).

Both are sent inside the transaction of the change, so a receiver's own records
commit or roll back with it; a receiver defers its e-mail until after the commit."""

from django.dispatch import Signal

# A round was opened for scoring: ``round``.
round_opened = Signal()
# Evaluators were assigned to models of a round: ``round``, ``assignments`` (the new ones).
evaluators_assigned = Signal()
