"""Landing assets: every source's tables into `raw`."""
