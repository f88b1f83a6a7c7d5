"""Leaders' and staff's home page and dashboards."""
