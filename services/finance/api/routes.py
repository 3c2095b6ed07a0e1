"""Finance's routers, all under /v1. Roles and tenancy are checked in `services.finance.access`."""

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
