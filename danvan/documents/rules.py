"""Who may act on issued documents (their pages belong to the features that issue them)."""

import rules

from danvan.accounts.rules import is_back_office

# Make again the files of a numbered document whose rendering failed.
rules.add_perm("documents.render_document", is_back_office)
