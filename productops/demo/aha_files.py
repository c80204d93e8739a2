"""Aha! v1 API pages rendered from simulated ideas and features.

`ideas_page_NNNN.json.gz`, `features_page_NNNN.json.gz` and `audits_page_NNNN.json.gz`
(`historical_audits`), 100 records per page, gzipped to keep seeds/ small. Audits record `workflow_status` and
`release` changes as `[from, to]`, release by name; creation audits carry
`[null, initial value]`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from productops.demo.calendar import AS_OF, aha_timestamp, quarter_end, quarter_from_release
from productops.demo.ideas import Idea, hash_text
from productops.demo.org import Product
from productops.demo.work import RoadmapFeature
from productops.demo.writers import PagedJsonWriter, aha_page

BASE_URL = "https://lumen-platform.aha.io"
WORKFLOW_STATUS_IDS = {
    "New": "6900000000000000101",
    "Under consideration": "6900000000000000102",
    "Accepted": "6900000000000000103",
    "Declined": "6900000000000000104",
    "Ready to develop": "6900000000000000201",
    "In development": "6900000000000000202",
    "Shipped": "6900000000000000203",
}
COMPLETE = {"Declined", "Shipped"}


def _product(product: Product) -> dict[str, Any]:
    return {
        "id": str(6_800_000_000_000_000_000 + hash_text(product.id)),
        "reference_prefix": product.prefix,
        "name": product.name,
        "product_line": False,
    }


def _status(name: str) -> dict[str, Any]:
    return {"id": WORKFLOW_STATUS_IDS[name], "name": name, "complete": name in COMPLETE}


def _release(product: Product, name: str) -> dict[str, Any]:
    first_day = quarter_from_release(name)
    ends = quarter_end(first_day)
    number = (first_day.year - 2015) * 4 + (first_day.month - 1) // 3 + 1
    return {
        "id": str(6_700_000_000_000_000_000 + hash_text(product.id) * 1000 + number),
        "reference_num": f"{product.prefix}-R-{number}",
        "name": name,
        "release_date": ends.isoformat(),
        "released": ends < AS_OF,
        "parking_lot": False,
    }


class AhaWriter:
    """The three Aha! page series, with the row counts their raw tables get."""

    def __init__(self, folder: Path) -> None:
        self._ideas = PagedJsonWriter(folder, "ideas_page", aha_page("ideas"), gz=True)
        self._features = PagedJsonWriter(folder, "features_page", aha_page("features"), gz=True)
        self._audits = PagedJsonWriter(
            folder, "audits_page", aha_page("historical_audits"), gz=True
        )
        self._audit_id = 0
        self.history_rows = 0

    def _audit(
        self, kind: str, item_id: str, at: datetime, changes: dict[str, list[str | None]]
    ) -> None:
        self._audit_id += 1
        created = all(before is None for before, _ in changes.values())
        self._audits.add(
            {
                "id": str(8_000_000_000_000_000_000 + self._audit_id),
                "audit_action": "create" if created else "update",
                "created_at": aha_timestamp(at),
                "auditable_type": kind,
                "auditable_id": item_id,
                "description": ", ".join(f"{k.replace('_', ' ')} changed" for k in changes),
                "changes": changes,
            }
        )
        self.history_rows += len(changes)

    def add_idea(self, idea: Idea) -> None:
        """One idea and its audits."""
        self._ideas.add(
            {
                "id": idea.id,
                "reference_num": idea.reference_num,
                "name": idea.name,
                "created_at": aha_timestamp(idea.created_at),
                "updated_at": aha_timestamp(idea.updated_at),
                "workflow_status": _status(idea.status),
                "categories": [
                    {
                        "id": str(6_600_000_000_000_000_000 + hash_text(idea.area)),
                        "name": idea.area,
                        "parent_id": None,
                    }
                ],
                "product": _product(idea.product),
                "votes": idea.votes,
                "url": f"{BASE_URL}/ideas/ideas/{idea.reference_num}",
            }
        )
        for at, changes in idea.audits:
            self._audit("Idea", idea.id, at, changes)

    def add_feature(self, feature: RoadmapFeature) -> None:
        """One feature (linked to its Jira epic) and its audits."""
        custom_fields = []
        if feature.category is not None:
            custom_fields.append(
                {
                    "key": "investment_category",
                    "name": "Investment category",
                    "value": feature.category,
                    "type": "string",
                }
            )
        if feature.customer is not None:
            custom_fields.append(
                {
                    "key": "customer",
                    "name": "Customer",
                    "value": feature.customer.name,
                    "type": "string",
                }
            )
        epic = feature.epic
        integration = str(6_500_000_000_000_000_000 + hash_text(epic.project.key))
        self._features.add(
            {
                "id": feature.id,
                "reference_num": feature.reference_num,
                "name": feature.name,
                "created_at": aha_timestamp(feature.created_at),
                "updated_at": aha_timestamp(feature.audits[-1][0]),
                "workflow_status": _status(feature.status),
                "release": _release(feature.product, feature.release),
                "initiative": (
                    {
                        "reference_num": feature.initiative,
                        "name": f"{feature.product.name} bets {feature.initiative.rsplit('-', 1)[1]}",
                    }
                    if feature.initiative
                    else None
                ),
                "product": _product(feature.product),
                "custom_fields": custom_fields,
                "integration_fields": [
                    {
                        "id": f"{integration}1",
                        "name": "id",
                        "value": epic.id,
                        "integration_id": integration,
                        "service_name": "jira",
                    },
                    {
                        "id": f"{integration}2",
                        "name": "key",
                        "value": epic.key,
                        "integration_id": integration,
                        "service_name": "jira",
                    },
                ],
                "url": f"{BASE_URL}/features/{feature.reference_num}",
            }
        )
        for at, changes in feature.audits:
            self._audit("Feature", feature.id, at, changes)

    def close(self) -> dict[str, int]:
        """Write every page; returns raw-table row counts."""
        self._audits.close()
        return {
            "roadmap__ideas": self._ideas.close(),
            "roadmap__features": self._features.close(),
            "roadmap__history": self.history_rows,
        }


def release_day(name: str) -> date:
    """The release date of an Aha! quarterly release (its quarter's last day)."""
    return quarter_end(quarter_from_release(name))
