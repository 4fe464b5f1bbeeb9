"""Who may import: staff of a school (PrO, VSO, VO), for the own school's youth.

(Not named rules.py: scripts/messages.sh runs from the app folder, where a rules.py would shadow
the django-rules package. TransfersConfig.ready() imports this module.)
"""

import rules

from vangnet.core.rules import is_school_user

rules.add_perm("transfers.import", is_school_user)
