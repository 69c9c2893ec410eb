"""The audit trail: paging and filtering entries, verifying the hash chain."""
