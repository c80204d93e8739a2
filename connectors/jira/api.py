"""Jira's REST API, Cloud and Data Center/Server, through the shared `HttpClient`.

Which flavour a server is comes from the server itself (`GET /rest/api/2/serverInfo`,
`deploymentType`), not from its URL:

| | Cloud | Data Center / Server |
|---|---|---|
| auth | basic, e-mail + API token | bearer personal access token |
| search | `GET /rest/api/3/search/jql`, `nextPageToken`/`isLast` | `GET /rest/api/2/search`, `startAt`/`total` |
| projects | `/rest/api/3/project/search` (paged) | `/rest/api/2/project` (a list) |

Both return the issue JSON the file reader already understands (`connectors.jira.issues`).
Search results embed at most one page of changelog; an issue whose `changelog.total`
exceeds what was embedded gets the rest from `/issue/{id}/changelog`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.http import (
    Auth,
    BasicAuth,
    BearerAuth,
    Endpoint,
    HttpClient,
    HttpError,
    Page,
    RetryPolicy,
    Secret,
    StartAtPager,
    TokenPager,
    ToolClient,
)

CLOUD = "cloud"
DATA_CENTER = "datacenter"
DEFAULT_PAGE_SIZE = 100

SERVER_INFO = "/rest/api/2/serverInfo"
FIELDS = Endpoint("/rest/api/2/field", items_key=None)
STATUSES = Endpoint("/rest/api/2/status", items_key=None)
ISSUE_TYPES = Endpoint("/rest/api/2/issuetype", items_key=None)
BOARDS = Endpoint("/rest/agile/1.0/board", items_key="values", pager=StartAtPager(), page_size=50)

_ORDER_BY = re.compile(r"\s+order\s+by\s+.*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class JiraApiConfig:
    """How to reach a Jira: its URL, credentials and which issues to read.

    Cloud needs `email` + `api_token`; Data Center a `pat` (personal access token).
    `jql` limits the issues (None: every project the catalog maps). Tokens stay out of
    `repr` so a logged config shows no secret.
    """

    base_url: str
    email: str | None = None
    api_token: str | None = field(default=None, repr=False)
    pat: str | None = field(default=None, repr=False)
    jql: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy, repr=False)
    # An incremental run re-reads issues updated this long before the watermark: JQL
    # dates are read in the API user's time zone, which may be up to 14 hours off UTC.
    overlap_hours: float = 24.0
    # Every this many days the run lists every issue id in scope to find deleted issues.
    reconcile_days: float = 7.0

    def auth(self) -> Auth:
        """The configured credentials (a PAT wins when both kinds are set)."""
        if self.pat:
            return BearerAuth(Secret(self.pat))
        if self.email and self.api_token:
            return BasicAuth(self.email, Secret(self.api_token))
        raise ValueError(
            "Jira credentials are missing: set JIRA_EMAIL and JIRA_API_TOKEN (Cloud) "
            "or JIRA_PAT (Data Center)"
        )


def scope_jql(config_jql: str | None, project_keys: Sequence[str]) -> str:
    """The JQL that selects the issues to read, without any ORDER BY.

    The configured JQL wins; otherwise the catalog's Jira projects. Cloud refuses
    unbounded searches, so "everything" is spelled as a condition every issue meets.
    """
    if config_jql and config_jql.strip():
        scoped = _ORDER_BY.sub("", config_jql.strip())
        if scoped:
            return scoped
    if project_keys:
        quoted = ", ".join('"' + key.replace('"', '\\"') + '"' for key in sorted(project_keys))
        return f"project in ({quoted})"
    return 'created >= "1970/01/01"'


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and the cursor of the next page (None: last)."""

    issues: list[dict[str, Any]]
    next_cursor: Any


class JiraClient(ToolClient):
    """Reads a Jira instance: server info, fields, projects, statuses, issues, sprints."""

    def __init__(self, config: JiraApiConfig, transport: Any = None) -> None:
        self.config = config
        self.http = HttpClient(
            config.base_url,
            auth=config.auth(),
            retry=config.retry,
            timeout=config.timeout,
            transport=transport,
        )
        self._flavour: str | None = None

    @property
    def source(self) -> str:
        """The `_source` of rows read from this Jira: its search URL, without a query."""
        return f"{self.http.base_url}{self._search_endpoint().path}"

    @property
    def flavour(self) -> str:
        """`cloud` or `datacenter`, as `/serverInfo` says (`deploymentType`)."""
        if self._flavour is None:
            info = self.http.get_json(SERVER_INFO)
            kind = str((info or {}).get("deploymentType") or "Server").lower()
            self._flavour = CLOUD if kind == "cloud" else DATA_CENTER
        return self._flavour

    @property
    def api(self) -> str:
        """The REST path prefix of this flavour."""
        return "/rest/api/3" if self.flavour == CLOUD else "/rest/api/2"

    def _search_endpoint(self) -> Endpoint:
        if self.flavour == CLOUD:
            return Endpoint("/rest/api/3/search/jql", "issues", TokenPager(), self.config.page_size)
        return Endpoint("/rest/api/2/search", "issues", StartAtPager(), self.config.page_size)

    def fields(self) -> list[dict[str, Any]]:
        """Every field (`/field`): custom fields are found by name from this list."""
        return list(self.http.items(FIELDS))

    def statuses(self) -> list[dict[str, Any]]:
        """Every status with its status category (`/status`)."""
        return list(self.http.items(STATUSES))

    def issue_types(self) -> list[dict[str, Any]]:
        """Every issue type (`/issuetype`), with `untranslatedName` and `hierarchyLevel`."""
        return list(self.http.items(ISSUE_TYPES))

    def projects(self) -> list[dict[str, Any]]:
        """Every project: `/project/search` pages on Cloud, the `/project` list on DC."""
        if self.flavour == CLOUD:
            endpoint = Endpoint("/rest/api/3/project/search", "values", StartAtPager(), 50)
        else:
            endpoint = Endpoint("/rest/api/2/project", None)
        return list(self.http.items(endpoint))

    def sprints(self) -> list[dict[str, Any]]:
        """Every sprint of every board (agile API); kanban boards, which have none, are skipped."""
        found: dict[Any, dict[str, Any]] = {}
        for board in self.http.items(BOARDS):
            endpoint = Endpoint(
                f"/rest/agile/1.0/board/{board['id']}/sprint", "values", StartAtPager(), 50
            )
            try:
                for sprint in self.http.items(endpoint):
                    # A sprint shared by several boards is listed by each of them.
                    found.setdefault(sprint.get("id"), sprint)
            except HttpError as error:
                if error.status != 400:  # "The board does not support sprints"
                    raise
        return list(found.values())

    def search(
        self,
        jql: str,
        cursor: Any = None,
        fields: Sequence[str] = ("*all",),
        changelog: bool = True,
    ) -> Iterator[SearchPage]:
        """Pages of issues matching `jql`, from `cursor` (None: the first page).

        With `changelog`, every issue comes with its full changelog: histories beyond
        the embedded page are fetched from `/issue/{id}/changelog`.
        """
        params: dict[str, Any] = {"jql": jql, "fields": ",".join(fields)}
        if changelog:
            params["expand"] = "changelog"
        page: Page
        for page in self.http.pages(self._search_endpoint(), params, cursor):
            issues = [issue for issue in page.items if isinstance(issue, Mapping)]
            if changelog:
                issues = [self.with_full_changelog(issue) for issue in issues]
            yield SearchPage(issues, page.next_cursor)

    def issue_exists(self, issue_id: str) -> bool:
        """Whether `GET /issue/{id}` finds the issue (404: deleted, or no longer visible)."""
        try:
            self.http.get_json(f"{self.api}/issue/{issue_id}", {"fields": "updated"})
        except HttpError as error:
            if error.status == 404:
                return False
            raise
        return True

    def with_full_changelog(self, issue: Mapping[str, Any]) -> dict[str, Any]:
        """`issue` with every changelog history, paging `/issue/{id}/changelog` if capped."""
        changelog = issue.get("changelog")
        if not isinstance(changelog, Mapping):
            return dict(issue)
        histories = list(changelog.get("histories") or [])
        total = changelog.get("total")
        if not isinstance(total, int) or total <= len(histories):
            return dict(issue)
        endpoint = Endpoint(
            f"{self.api}/issue/{issue['id']}/changelog", "values", StartAtPager(), 100
        )
        complete = list(self.http.items(endpoint))
        return {
            **issue,
            "changelog": {
                "startAt": 0,
                "maxResults": len(complete),
                "total": len(complete),
                "histories": complete,
            },
        }
