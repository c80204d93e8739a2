"""BambooHR's API through the shared `HttpClient` into `hr__employees` and
`hr__compensation`.

Without a report id, a custom report is asked for:
`POST https://api.bamboohr.com/api/gateway.php/{subdomain}/v1/reports/custom?format=JSON&onlyCurrent=false`
with the fields the headcount needs (`REPORT_FIELDS`); `onlyCurrent=false` keeps people
who have left, whose cost still counts in the months they were employed. With
`report_id` the saved report is read instead (`GET .../v1/reports/{id}?format=JSON`), and
it must hold those fields. Auth is HTTP basic with the API key as user and `x` as
password.

Each employee object becomes a headcount row (`headcount_row_from_api_user`) and goes
through the CSV's reader (`read_headcount_rows`), so dates (`0000-00-00` is no date),
pay rates, pseudonymisation and errors are exactly those of `hr/headcount.csv`. Names
are never read; e-mails only to pseudonymise them. A full read every run: a headcount
is small.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyarrow as pa

from connectors.bamboohr import headcount_row_from_api_user, read_headcount_rows
from connectors.errors import SourceFileError
from connectors.http import BasicAuth, HttpClient, RetryPolicy, Secret, ToolClient
from connectors.pseudonymise import Pseudonymiser

DEFAULT_BASE_URL = "https://api.bamboohr.com"
# The BambooHR fields `headcount_row_from_api_user` reads (names are not asked for).
REPORT_FIELDS = (
    "id",
    "workEmail",
    "department",
    "division",
    "jobTitle",
    "location",
    "supervisorEId",
    "hireDate",
    "terminationDate",
    "payRate",
    "paidPer",
    "payRateEffectiveDate",
)


@dataclass(frozen=True)
class BambooHrApiConfig:
    """How to reach a BambooHR account: `BAMBOOHR_SUBDOMAIN` (`acme` for
    acme.bamboohr.com), `BAMBOOHR_API_KEY` (kept out of repr) and optionally a saved
    report (`BAMBOOHR_REPORT_ID`)."""

    subdomain: str
    api_key: str = field(repr=False)
    report_id: str | None = None
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy, repr=False)

    @property
    def api_root(self) -> str:
        """The account's API root, `/api/gateway.php/{subdomain}/v1`."""
        return f"/api/gateway.php/{self.subdomain}/v1"


class BambooHrClient(ToolClient):
    """Reads one BambooHR account's employees."""

    def __init__(
        self, config: BambooHrApiConfig, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.config = config
        self.http = HttpClient(
            config.base_url,
            # BambooHR's convention: the key is the user, the password is ignored.
            auth=BasicAuth(config.api_key, Secret("x")),
            retry=config.retry,
            timeout=config.timeout,
            transport=transport,
        )

    def report(self) -> tuple[str, Any]:
        """(source URL, payload) of the saved report or of a custom report of
        `REPORT_FIELDS`, former employees included."""
        root = self.config.api_root
        if self.config.report_id:
            path = f"{root}/reports/{self.config.report_id}"
            payload, _ = self.http.request_json(
                "GET", path, {"format": "JSON", "onlyCurrent": "false"}
            )
        else:
            path = f"{root}/reports/custom"
            payload, _ = self.http.request_json(
                "POST",
                path,
                {"format": "JSON", "onlyCurrent": "false"},
                json_body={"fields": list(REPORT_FIELDS)},
            )
        return f"{self.http.base_url}{path}", payload


def _employees(source: str, payload: Any) -> Iterator[tuple[int, dict[str, str]]]:
    employees = payload.get("employees") if isinstance(payload, Mapping) else None
    if not isinstance(employees, list):
        raise SourceFileError(source, None, "employees", "expected a list of employees")
    for position, employee in enumerate(employees, start=1):
        if not isinstance(employee, Mapping):
            raise SourceFileError(source, position, None, "expected an employee object")
        user = dict(employee)
        # Some accounts name the pay period `payPer` rather than `paidPer`.
        if user.get("paidPer") in (None, "") and user.get("payPer"):
            user["paidPer"] = user["payPer"]
        yield position, headcount_row_from_api_user(user)


def read_bamboohr_api(
    config: BambooHrApiConfig,
    pseudonymise: Pseudonymiser,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, pa.Table]:
    """Every `hr__*` table from BambooHR's API, as the CSV reader would make them.

    Errors name the report's URL and the employee's position in it (as the line).
    """
    with BambooHrClient(config, transport) as client:
        source, payload = client.report()
    return read_headcount_rows(_employees(source, payload), source, pseudonymise)
