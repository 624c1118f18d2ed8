"""Demo data for the helpdesk: a shell concern, built through the same services as real work."""
