"""The catalog (`catalog.yml`): product ops' map of the organisation, as raw tables.

The file is validated as it is read, because every later mapping trusts it: an error
names catalog.yml, the line and the YAML path (`teams[3].product`) and says what was
expected. Checked: unknown keys, duplicate ids and mappings, references to unknown
portfolios or products, investment categories, status meanings and role families.

Settings that METRICS.md gives a default for (`loading_factor` 1.30, `min_group_size`
5, `customer_commitment_cap` 0.10) land with that default when the file omits them, so
the marts always find every setting in `raw.catalog__settings`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from connectors import schemas
from connectors.arrow_tables import TableBuilder
from connectors.errors import SourceFileError
from connectors.source_files import open_text
from connectors.text_encodings import decode_error, sniff_encoding
from connectors.values import parse_date, parse_number

CATALOG_FILE = "catalog.yml"

CATEGORIES = ("new_capability", "customer_commitment", "ktlo", "tech_investment")
STATUS_MEANINGS = ("new", "in_progress", "done", "accepted", "declined", "delivered")
ROLE_FAMILIES = ("pm", "engineering", "design", "other")
SETTING_DEFAULTS: dict[str, str] = {
    "loading_factor": "1.3",
    "min_group_size": "5",
    "customer_commitment_cap": "0.1",
}

_ID = re.compile(r"[a-z][a-z0-9_]*")
_CURRENCY = re.compile(r"[A-Z]{3}")
_TOP_KEYS = (
    "reporting_currency",
    "settings",
    "portfolios",
    "products",
    "teams",
    "role_families",
    "statuses",
    "categories",
    "features",
    "rnd_accounts",
)
_PORTFOLIO_KEYS = ("id", "name", "director", "products")
_PRODUCT_KEYS = (
    "id",
    "name",
    "portfolio",
    "pm",
    "launched_on",
    "product_areas",
    "jira_projects",
    "aha_prefix",
    "analytics_app",
    "skus",
    "cost_centres",
)
_TEAM_KEYS = ("id", "name", "product", "hr_team", "default_category")
_FEATURE_KEYS = ("id", "product", "event_type", "enable_event_type", "released_on")
_CATEGORY_RULE_KINDS = {"jira_issue_types": "jira_issue_type", "jira_labels": "jira_label"}
_MAPPING_KINDS = {"jira_projects": "jira_project", "skus": "sku", "cost_centres": "cost_centre"}


# --- YAML that remembers where things are -------------------------------------------


class _Mapping(dict[Any, Any]):
    """A YAML mapping that knows the line of each key and the raw text of scalar values."""

    lines: dict[Any, int]
    raw: dict[Any, str]


class _Sequence(list[Any]):
    """A YAML sequence that knows the line and the raw text of each item."""

    lines: list[int]
    raw: list[str | None]


class _CatalogLoader(yaml.SafeLoader):
    """Safe YAML that rejects duplicate keys (PyYAML would keep the last silently)."""


def _raw(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _construct_mapping(loader: _CatalogLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    result = _Mapping()
    result.lines, result.raw = {}, {}
    for key_node, value_node in node.value:
        # Keys are names (statuses, labels, job titles): keep their text as written, so
        # YAML does not turn a label "0100" into the number 64.
        key = _raw(key_node)
        if key is None:
            key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
        raw = _raw(value_node)
        if raw is not None:
            result.raw[key] = raw
    return result


def _construct_sequence(loader: _CatalogLoader, node: yaml.SequenceNode) -> _Sequence:
    result = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.lines = [child.start_mark.line + 1 for child in node.value]
    result.raw = [_raw(child) for child in node.value]
    return result


_CatalogLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_CatalogLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


@dataclass(frozen=True)
class _At:
    """A place in the catalog: the YAML path and its line, for error messages."""

    source: str
    path: str
    line: int | None
    raw: str | None = None  # the scalar's text as written, when it is a scalar

    def error(self, message: str) -> SourceFileError:
        return SourceFileError(self.source, self.line, self.path or None, message)

    def key(self, mapping: dict[Any, Any], key: str) -> _At:
        lines = getattr(mapping, "lines", {})
        path = f"{self.path}.{key}" if self.path else key
        return _At(
            self.source, path, lines.get(key, self.line), getattr(mapping, "raw", {}).get(key)
        )


def _as_mapping(value: Any, at: _At, allowed: tuple[str, ...] | None = None) -> dict[Any, Any]:
    if value is None:
        return _Mapping()
    if not isinstance(value, dict):
        raise at.error(f"expected a mapping (key: value), got {type(value).__name__}")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                raise at.key(value, str(key)).error(f"unknown key; expected one of {list(allowed)}")
    return value


def _as_items(value: Any, at: _At) -> Iterator[tuple[Any, _At]]:
    """Each item of a YAML list with its place (`path[i]`)."""
    if value is None:
        return
    if not isinstance(value, list):
        raise at.error(f"expected a list, got {type(value).__name__}")
    lines = getattr(value, "lines", [])
    raw = getattr(value, "raw", [])
    for index, item in enumerate(value):
        line = lines[index] if index < len(lines) else at.line
        text = raw[index] if index < len(raw) else None
        yield item, _At(at.source, f"{at.path}[{index}]", line, text)


def _scalar_text(value: Any, at: _At, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise at.error("expected a value")
        return None
    if isinstance(value, dict | list):
        raise at.error(f"expected a single value, got a {type(value).__name__}")
    if not isinstance(value, str) and at.raw is not None:
        # Text as written: an account 0610 must not become 392, nor 1.30 become 1.3.
        return at.raw.strip()
    return str(value).strip()


def _field(mapping: dict[Any, Any], key: str, at: _At, required: bool = False) -> str | None:
    return _scalar_text(mapping.get(key), at.key(mapping, key), required)


def _identifier(mapping: dict[Any, Any], at: _At) -> str:
    value = _field(mapping, "id", at, required=True)
    assert value is not None
    if not _ID.fullmatch(value):
        raise at.key(mapping, "id").error(
            f"expected a stable id in lowercase letters, digits and underscores, got {value!r}"
        )
    return value


def _number(value: Any, at: _At, low: float, high: float | None = None) -> float:
    try:
        number = parse_number(value)
    except ValueError as error:
        raise at.error(str(error)) from None
    if number is None:
        raise at.error("expected a number")
    if number < low or (high is not None and number > high):
        upper = f" and at most {high}" if high is not None else ""
        raise at.error(f"expected a number at least {low}{upper}, got {number}")
    return number


def _date(value: Any, at: _At) -> date | None:
    try:
        return parse_date(value)
    except ValueError as error:
        raise at.error(str(error)) from None


def _choice(value: str | None, choices: tuple[str, ...], at: _At, what: str) -> str | None:
    if value is not None and value not in choices:
        raise at.error(f"unknown {what} {value!r}; expected one of {list(choices)}")
    return value


# --- the reader ---------------------------------------------------------------------


class _CatalogReader:
    """Walks the parsed catalog once, filling one builder per catalog table."""

    def __init__(self, document: dict[Any, Any], source: str) -> None:
        self.doc = document
        self.source = source
        self.root = _At(source, "", None)
        self.builders = {table.name: TableBuilder(table) for table in schemas.CATALOG_TABLES}
        self.portfolio_ids: dict[str, _At] = {}
        self.product_ids: dict[str, _At] = {}
        self._seen: dict[tuple[str, Any], _At] = {}

    def add(self, table: schemas.RawTable, **values: Any) -> None:
        self.builders[table.name].add({**values, "_source": self.source})

    def unique(self, what: str, value: Any, at: _At) -> None:
        """Fail when `value` was already defined as a `what` somewhere else."""
        earlier = self._seen.get((what, value))
        if earlier is not None:
            where = f" (line {earlier.line})" if earlier.line else ""
            raise at.error(f"duplicate {what} {value!r}: already defined at {earlier.path}{where}")
        self._seen[(what, value)] = at

    def read(self) -> dict[str, pa.Table]:
        _as_mapping(self.doc, self.root, _TOP_KEYS)
        self._settings()
        for portfolio, at in _as_items(
            self.doc.get("portfolios"), self.root.key(self.doc, "portfolios")
        ):
            self._portfolio(portfolio, at)
        for product, at in _as_items(self.doc.get("products"), self.root.key(self.doc, "products")):
            self._product(product, at, portfolio_id=None)
        for team, at in _as_items(self.doc.get("teams"), self.root.key(self.doc, "teams")):
            self._team(team, at)
        self._role_families()
        self._statuses()
        self._category_rules()
        for feature, at in _as_items(self.doc.get("features"), self.root.key(self.doc, "features")):
            self._feature(feature, at)
        for account, at in _as_items(
            self.doc.get("rnd_accounts"), self.root.key(self.doc, "rnd_accounts")
        ):
            value = _scalar_text(account, at, required=True)
            self.unique("R&D account", value, at)
            self.add(schemas.CATALOG_RND_ACCOUNTS, account=value)
        return {name: builder.finish() for name, builder in self.builders.items()}

    def _settings(self) -> None:
        currency_at = self.root.key(self.doc, "reporting_currency")
        currency = _scalar_text(self.doc.get("reporting_currency"), currency_at, required=True)
        if not _CURRENCY.fullmatch(currency or ""):
            raise currency_at.error(f"expected an ISO currency code such as USD, got {currency!r}")
        values: dict[str, str] = {"reporting_currency": currency or "", **SETTING_DEFAULTS}

        at = self.root.key(self.doc, "settings")
        settings = _as_mapping(self.doc.get("settings"), at)
        for key, value in settings.items():
            key_at = at.key(settings, str(key))
            if key == "loading_factor_by_location":
                self._loading_factors(value, key_at)
            elif key == "target_shares":
                self._target_shares(value, key_at)
            elif key == "loading_factor":
                values[key] = str(_number(value, key_at, low=0.0))
            elif key == "customer_commitment_cap":
                values[key] = str(_number(value, key_at, low=0.0, high=1.0))
            elif key == "min_group_size":
                size = _number(value, key_at, low=1.0)
                if size != int(size):
                    raise key_at.error(f"expected a whole number of people, got {value!r}")
                values[key] = str(int(size))
            else:
                # Settings the contract does not name yet still land, as text.
                values[str(key)] = _scalar_text(value, key_at, required=True) or ""
        for setting, value in values.items():
            self.add(schemas.CATALOG_SETTINGS, setting=setting, value=value)

    def _loading_factors(self, value: Any, at: _At) -> None:
        factors = _as_mapping(value, at)
        for location, factor in factors.items():
            key_at = at.key(factors, str(location))
            self.add(
                schemas.CATALOG_LOADING_FACTORS,
                location=_scalar_text(location, key_at, required=True),
                loading_factor=_number(factor, key_at, low=0.0),
            )

    def _target_shares(self, value: Any, at: _At) -> None:
        shares = _as_mapping(value, at)
        for category, share in shares.items():
            key_at = at.key(shares, str(category))
            _choice(str(category), CATEGORIES, key_at, "investment category")
            self.add(
                schemas.CATALOG_TARGET_SHARES,
                category=str(category),
                target_share=_number(share, key_at, low=0.0, high=1.0),
            )

    def _portfolio(self, value: Any, at: _At) -> None:
        portfolio = _as_mapping(value, at, _PORTFOLIO_KEYS)
        portfolio_id = _identifier(portfolio, at)
        self.unique("portfolio id", portfolio_id, at.key(portfolio, "id"))
        self.portfolio_ids[portfolio_id] = at
        self.add(
            schemas.CATALOG_PORTFOLIOS,
            portfolio_id=portfolio_id,
            portfolio_name=_field(portfolio, "name", at) or portfolio_id,
            director=_field(portfolio, "director", at),
        )
        for product, product_at in _as_items(
            portfolio.get("products"), at.key(portfolio, "products")
        ):
            self._product(product, product_at, portfolio_id=portfolio_id)

    def _product(self, value: Any, at: _At, portfolio_id: str | None) -> None:
        product = _as_mapping(value, at, _PRODUCT_KEYS)
        product_id = _identifier(product, at)
        self.unique("product id", product_id, at.key(product, "id"))
        named_portfolio = _field(product, "portfolio", at, required=portfolio_id is None)
        if named_portfolio is not None:
            if portfolio_id is not None and named_portfolio != portfolio_id:
                raise at.key(product, "portfolio").error(
                    f"expected {portfolio_id!r}, the portfolio this product is listed under"
                )
            if named_portfolio not in self.portfolio_ids:
                raise at.key(product, "portfolio").error(
                    f"unknown portfolio {named_portfolio!r}; expected one of "
                    f"{sorted(self.portfolio_ids)}"
                )
            portfolio_id = named_portfolio
        self.product_ids[product_id] = at
        self.add(
            schemas.CATALOG_PRODUCTS,
            product_id=product_id,
            product_name=_field(product, "name", at) or product_id,
            portfolio_id=portfolio_id,
            pm=_field(product, "pm", at),
            aha_prefix=_field(product, "aha_prefix", at),
            analytics_app=_field(product, "analytics_app", at),
            launched_on=_date(product.get("launched_on"), at.key(product, "launched_on")),
        )
        areas_at = at.key(product, "product_areas")
        for area, area_at in _as_items(product.get("product_areas"), areas_at):
            name = _scalar_text(area, area_at, required=True)
            self.unique("product area", name, area_at)
            self.add(schemas.CATALOG_PRODUCT_AREAS, product_area=name, product_id=product_id)
        for key, kind in _MAPPING_KINDS.items():
            for mapped, mapped_at in _as_items(product.get(key), at.key(product, key)):
                mapped_value = _scalar_text(mapped, mapped_at, required=True)
                self.unique(kind.replace("_", " "), mapped_value, mapped_at)
                self.add(
                    schemas.CATALOG_PRODUCT_MAPPINGS,
                    product_id=product_id,
                    kind=kind,
                    value=mapped_value,
                )

    def _known_product(self, mapping: dict[Any, Any], at: _At, key: str = "product") -> str:
        product_id = _field(mapping, key, at, required=True)
        if product_id not in self.product_ids:
            raise at.key(mapping, key).error(
                f"unknown product {product_id!r}; expected one of {sorted(self.product_ids)}"
            )
        assert product_id is not None
        return product_id

    def _team(self, value: Any, at: _At) -> None:
        team = _as_mapping(value, at, _TEAM_KEYS)
        team_id = _identifier(team, at)
        self.unique("team id", team_id, at.key(team, "id"))
        category_at = at.key(team, "default_category")
        self.add(
            schemas.CATALOG_TEAMS,
            team_id=team_id,
            team_name=_field(team, "name", at) or team_id,
            product_id=self._known_product(team, at),
            hr_team=_field(team, "hr_team", at),
            default_category=_choice(
                _field(team, "default_category", at), CATEGORIES, category_at, "investment category"
            ),
        )

    def _role_families(self) -> None:
        at = self.root.key(self.doc, "role_families")
        families = _as_mapping(self.doc.get("role_families"), at)
        for title, family in families.items():
            key_at = at.key(families, str(title))
            self.add(
                schemas.CATALOG_ROLE_FAMILIES,
                job_title=_scalar_text(title, key_at, required=True),
                role_family=_choice(
                    _scalar_text(family, key_at, required=True),
                    ROLE_FAMILIES,
                    key_at,
                    "role family",
                ),
            )

    def _statuses(self) -> None:
        at = self.root.key(self.doc, "statuses")
        tools = _as_mapping(self.doc.get("statuses"), at)
        for tool, statuses in tools.items():
            tool_at = at.key(tools, str(tool))
            mapping = _as_mapping(statuses, tool_at)
            for status, meaning in mapping.items():
                status_at = tool_at.key(mapping, str(status))
                self.add(
                    schemas.CATALOG_STATUS_MAP,
                    tool=str(tool),
                    status=_scalar_text(status, status_at, required=True),
                    meaning=_choice(
                        _scalar_text(meaning, status_at, required=True),
                        STATUS_MEANINGS,
                        status_at,
                        "status meaning",
                    ),
                )

    def _category_rules(self) -> None:
        at = self.root.key(self.doc, "categories")
        rules = _as_mapping(self.doc.get("categories"), at, tuple(_CATEGORY_RULE_KINDS))
        for key, kind in _CATEGORY_RULE_KINDS.items():
            kind_at = at.key(rules, key)
            mapping = _as_mapping(rules.get(key), kind_at)
            for value, category in mapping.items():
                value_at = kind_at.key(mapping, str(value))
                self.add(
                    schemas.CATALOG_CATEGORY_RULES,
                    kind=kind,
                    value=_scalar_text(value, value_at, required=True),
                    category=_choice(
                        _scalar_text(category, value_at, required=True),
                        CATEGORIES,
                        value_at,
                        "investment category",
                    ),
                )

    def _feature(self, value: Any, at: _At) -> None:
        feature = _as_mapping(value, at, _FEATURE_KEYS)
        feature_id = _identifier(feature, at)
        self.unique("feature id", feature_id, at.key(feature, "id"))
        self.add(
            schemas.CATALOG_FEATURES,
            feature_id=feature_id,
            product_id=self._known_product(feature, at),
            event_type=_field(feature, "event_type", at, required=True),
            enable_event_type=_field(feature, "enable_event_type", at),
            released_on=_date(feature.get("released_on"), at.key(feature, "released_on")),
        )


def read_catalog_file(path: Path, source: str = CATALOG_FILE) -> dict[str, pa.Table]:
    """Read and validate a catalog file into every `catalog__*` table.

    `source` is what rows carry as `_source` and errors name. A missing file is an
    error: the catalog is the one source the warehouse cannot do without.
    """
    if not path.is_file():
        raise SourceFileError(source, None, None, "expected the catalog file; it does not exist")
    try:
        # UTF-8 or UTF-16 with its byte-order mark; anything else names its line.
        with open_text(path) as handle:
            document = yaml.load(handle, Loader=_CatalogLoader)  # a SafeLoader subclass
    except UnicodeDecodeError:
        raise decode_error(path, source, sniff_encoding(path), csv_columns=False) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SourceFileError(source, line, None, f"expected valid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise SourceFileError(source, None, None, f"expected valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise SourceFileError(source, None, None, "expected a YAML mapping at the top level")
    return _CatalogReader(document, source).read()
