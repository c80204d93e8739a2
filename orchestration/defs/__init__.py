"""Dagster definitions, one package per system: sources, dbt, publish."""
