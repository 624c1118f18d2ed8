"""Pages of the staff app: signing in, two-factor set-up, and managing staff members."""
