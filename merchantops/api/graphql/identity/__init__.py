"""Identity: login sessions, the current user, tenants and their members."""
