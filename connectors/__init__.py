"""Readers for each source tool: files and APIs in, typed Arrow tables out."""
