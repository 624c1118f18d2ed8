"""The privacy pages (managers only)."""
