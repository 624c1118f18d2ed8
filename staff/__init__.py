"""The people who work at the helpdesk: their roles, what each may do, and mail to them.

The bottom of the house: every other app may use it, it uses none of them.
"""
