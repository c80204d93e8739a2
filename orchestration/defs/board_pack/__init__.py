"""The quarter-end board pack, rendered from the serving copy after publish."""
