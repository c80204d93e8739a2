"""productops: a product-operations data warehouse (sources → DuckDB marts → dashboards)."""
