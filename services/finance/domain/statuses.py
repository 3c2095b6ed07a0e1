"""The statuses of grants and payment runs: codes of finance's reference lists, stored as is.

A grant is pending until the college decides it (active, or ended when its placement ended
before the decision) or refuses it. Only active and ended grants are paid.
"""

from __future__ import annotations

PENDING, ACTIVE, ENDED, REFUSED = "pending", "active", "ended", "refused"
DECIDED = (ACTIVE, ENDED)
FINANCE_ITSELF = "finance"  # decided_by of a refusal the law leaves no choice in
RUNNING, COMPLETED = "running", "completed"
