"""Rule sets: versions of each tenant's compliance and risk rules, edited at run time."""
