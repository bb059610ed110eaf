"""Pages of the reporting app: dashboards, the annual report, exports and imports."""
