"""Who may import: staff of a school (PrO, VSO, VO), for the own school's youth."""

import rules

from vangnet.core.rules import is_school_user

rules.add_perm("transfers.import", is_school_user)
