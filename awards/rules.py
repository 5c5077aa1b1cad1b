import rules

from danvan.accounts.rules import has_role, is_office, is_officer_of_unit, is_signer

is_back_office = has_role("office", "chairman", "vice_chairman")

rules.add_perm("awards.view_nomination", is_back_office | is_officer_of_unit)
rules.add_perm("awards.manage_council", is_office)
rules.add_perm("awards.decide", is_signer)
