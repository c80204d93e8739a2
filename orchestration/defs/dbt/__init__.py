"""The dbt project as Dagster assets: staging, intermediate and marts."""
