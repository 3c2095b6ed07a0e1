"""The matching service (issue to come); only the package exists so the layout is whole."""
