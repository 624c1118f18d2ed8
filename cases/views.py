"""Staff pages for cases (placeholder wiring; filled in by the staff UI work)."""
