"""A tenant's whole life on the platform: its export into one archive and its deletion."""
