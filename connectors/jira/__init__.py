"""Jira: REST responses (files today, the API later) into the `jira__*` raw tables."""

from connectors.jira.files import read_jira_folder

__all__ = ["read_jira_folder"]
