"""Staff and manager pages of scheduling."""
