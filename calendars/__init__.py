"""The helpdesk's business calendars: phone hours, office hours, Dutch holidays and closures.

Below cases and callbacks, above only ``staff``: whatever needs to know whether the
helpdesk is open asks here. ``business_calendar`` is the pure arithmetic (no Django),
``models`` the configuration managers edit, ``configured`` the calendars built from it.
"""
