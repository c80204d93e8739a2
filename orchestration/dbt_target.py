"""The environment that points dbt_project/profiles.yml at the settings' engine."""

from __future__ import annotations

from orchestration.settings import Settings

TARGET_ENV_VAR = "PRODUCTOPS_TARGET"
# dbt keeps DBT_ENV_SECRET_* values out of its logs and artifacts.
PG_PASSWORD_ENV_VAR = "DBT_ENV_SECRET_PG_PASSWORD"
MEMORY_LIMIT_ENV_VAR = "PRODUCTOPS_DUCKDB_MEMORY_LIMIT"


def dbt_target_env(settings: Settings) -> dict[str, str]:
    """`PRODUCTOPS_TARGET`, DuckDB's memory limit and, on PostgreSQL, the server's host,
    port, user, database and password, as the variables profiles.yml reads."""
    env = {TARGET_ENV_VAR: settings.target, MEMORY_LIMIT_ENV_VAR: settings.duckdb_memory_limit}
    if settings.target == "postgres":
        env.update(
            {
                "PRODUCTOPS_PG_HOST": settings.pg_host,
                "PRODUCTOPS_PG_PORT": str(settings.pg_port),
                "PRODUCTOPS_PG_USER": settings.pg_user,
                "PRODUCTOPS_PG_DATABASE": settings.pg_database,
                PG_PASSWORD_ENV_VAR: settings.pg_password or "",
            }
        )
    return env
