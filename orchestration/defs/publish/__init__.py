"""The atomic serving copy the dashboards read."""
