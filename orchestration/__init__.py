"""Dagster orchestration of the productops warehouse."""
