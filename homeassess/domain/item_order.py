"""The order the room editor shows items in: every item revealed by an answer (``show_if``) comes
directly after the item that reveals it, so an answer never reveals a question above itself.

Pure (no Qt): the checklist order is kept everywhere else; only dependants move up under their parent.
"""

from __future__ import annotations

from collections.abc import Sequence

from homeassess.domain.checklist import Item


def editor_order(items: Sequence[Item]) -> list[Item]:
    """``items`` with each ``show_if`` dependant placed right after its parent (and its earlier siblings)."""
    ids = {item.id for item in items}
    children: dict[str, list[Item]] = {}
    roots: list[Item] = []
    for item in items:
        parent = item.show_if.item if item.show_if is not None else None
        if parent in ids and parent != item.id:
            children.setdefault(parent, []).append(item)
        else:
            roots.append(item)
    ordered: list[Item] = []
    placed: set[str] = set()

    def place(item: Item) -> None:
        if item.id in placed:  # the loader rejects cycles; never loop on a bad file
            return
        placed.add(item.id)
        ordered.append(item)
        for child in children.get(item.id, ()):
            place(child)

    for root in roots:
        place(root)
    ordered.extend(item for item in items if item.id not in placed)  # only reachable through a cycle
    return ordered

