"""Who may issue and revoke API tokens: the office staff of the token's organisation
(and superusers, who count as office staff of every organisation)."""

import rules

from danvan.accounts.rules import is_office

may_manage_tokens = is_office

rules.add_perm("api.manage_tokens", may_manage_tokens)
