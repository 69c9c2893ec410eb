"""Partner API keys: created with scopes, shown once, rotated with a grace period, revoked."""
