"""The matching service: employers, vacancies (also from the WSP), explainable matching with
jobcarving, proposals, placements and outbound webhooks."""
