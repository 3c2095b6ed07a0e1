"""Finance's pure rules: LKS, parameters by date, budgets, tariffs, business case. No I/O."""
