"""HTTP conventions of every service: NL API Design Rules, problem+json, security headers."""
