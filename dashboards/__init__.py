"""Streamlit dashboards over the published serving copy of the marts."""
