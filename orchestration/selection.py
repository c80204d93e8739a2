"""`productops refresh --select NAME`: what a source, model or table name refreshes.

A name selects what it names and everything downstream of it, up to publish:
- a source (`jira`, `hr`, ...): its landing step;
- a raw table (`hr__employees`): its source's landing step, which reads the export once;
- a dbt model or mart (`stg_hr__employees`, `dim_products`) or an asset key
  (`marts/dim_products`): that model.
"""

from __future__ import annotations

from collections.abc import Iterable

from dagster import AssetKey, AssetSelection
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph


class UnknownSelection(ValueError):
    """A `--select` name that names no source, table or model."""


def _sources(graph: BaseAssetGraph) -> dict[str, str]:
    """Landing group (`raw_<source>`) by source name."""
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    return {g.removeprefix("raw_"): g for g in groups if g and g.startswith("raw_")}


def _named(name: str, graph: BaseAssetGraph) -> AssetSelection:
    sources = _sources(graph)
    if name in sources:
        return AssetSelection.groups(sources[name])
    keys = graph.get_all_asset_keys()
    by_path = [key for key in keys if key.to_user_string() == name]
    by_name = by_path or [key for key in keys if key.path[-1] == name]
    if len(by_name) > 1:
        options = sorted(key.to_user_string() for key in by_name)
        raise UnknownSelection(f"{name!r} names several assets {options}; select one of them")
    if not by_name:
        raise UnknownSelection(
            f"{name!r} is not a source ({', '.join(sorted(sources))}), "
            "a raw table, a dbt model or an asset key"
        )
    node = graph.get(by_name[0])
    # A source's tables are landed by one step that reads its export once.
    if node.group_name in sources.values():
        return AssetSelection.groups(node.group_name)
    return AssetSelection.assets(by_name[0])


def resolve_selection(names: Iterable[str], graph: BaseAssetGraph) -> set[AssetKey]:
    """The asset keys a refresh of `names` materializes: each and all downstream of it."""
    selection: AssetSelection | None = None
    for name in names:
        named = _named(name.strip(), graph)
        selection = named if selection is None else selection | named
    if selection is None:
        return set(graph.get_all_asset_keys())
    return set(selection.downstream().resolve(graph))
