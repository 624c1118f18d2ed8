"""The header search: ``site.site_search`` over cases, contacts and organisations, on
``fulltext`` (PostgreSQL's Dutch full-text search or SQLite's FTS5), whose database
side ``schema`` creates."""
