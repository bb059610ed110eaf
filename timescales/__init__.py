"""Statutory clocks: working-day calendar, rule table and what-is-due-next sequences."""
