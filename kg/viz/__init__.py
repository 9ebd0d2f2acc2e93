"""Interactive, self-contained HTML views of the knowledge graph (vis-network from pyvis, inlined)."""
from kg.viz.cooccurrence import write_cooccurrence_view
from kg.viz.html import ViewStats, write_view

__all__ = ["ViewStats", "write_view", "write_cooccurrence_view"]
