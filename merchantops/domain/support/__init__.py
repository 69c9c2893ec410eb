"""Customer service (standard 5, 4.3): tickets, SLA clocks on business hours, escalation."""
