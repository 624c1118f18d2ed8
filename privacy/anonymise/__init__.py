"""Replacing personal data everywhere it is stored: a case, a contact, a person."""
