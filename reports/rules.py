import rules

from danvan.accounts.rules import is_office, is_signer

# The figures of the whole organisation: the office that runs the movement and the
# chairman and vice-chairmen who lead it.
sees_progress = is_office | is_signer

rules.add_perm("reports.view_progress", sees_progress)
# The review report is drafted and edited by the office, signed by a chairman or vice-chairman.
rules.add_perm("reports.change_review_report", is_office)
rules.add_perm("reports.issue_review_report", is_signer)
