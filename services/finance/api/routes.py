"""Finance's routers, all under /v1. Roles are checked twice (the role-checking units of work of
api/deps.py, then the handlers); tenancy in the handlers (handlers/access.py) and the scoped
repositories."""

from services.finance.api import (
    budget_routes,
    grant_routes,
    lks_routes,
    payment_routes,
    planning_routes,
)

# grant_routes first: its fixed paths (/grants/pending) before /grants/{grantId}.
ROUTERS = [grant_routes.router, lks_routes.router, payment_routes.router, budget_routes.router,
           planning_routes.router]
