"""Deterministic node positions in pixels, computed once in Python so the browser need not simulate.

Small graphs use networkx's spring layout with a fixed seed. Large graphs lay out only the
best-connected nodes ("anchors", linked by how many neighbours they share) with the spring layout,
place every other node around the mean of its placed neighbours, then push overlapping nodes apart.
"""
from __future__ import annotations

import math
from typing import Hashable

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.spatial import cKDTree

SEED = 7
SPACING = 34.0
"""Pixels kept between node centres after overlap removal."""
DIRECT_LIMIT = 450
"""Graphs up to this size get the plain spring layout (dense and fast below networkx's 500)."""
ANCHORS = 400
GOLDEN = math.pi * (3 - math.sqrt(5))


def _scale(n: int) -> float:
    return SPACING * 1.6 * math.sqrt(max(n, 1)) / 2


def layout(g: nx.Graph) -> dict[Hashable, tuple[int, int]]:
    """Positions for every node of ``g`` (its node order must be deterministic)."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(g)): (0, 0)}
    if n <= DIRECT_LIMIT:
        pos = nx.spring_layout(g, seed=SEED, iterations=100 if n <= 300 else 60, scale=_scale(n))
        xy = np.array([pos[v] for v in g], dtype=float)
    else:
        xy = _anchored(g)
    xy = _separate(xy, SPACING * (0.8 if n <= DIRECT_LIMIT else 1.0))
    return {v: (int(round(x)), int(round(y))) for v, (x, y) in zip(g, xy)}


def _anchored(g: nx.Graph) -> np.ndarray:
    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    degree = np.array([g.degree(v) for v in nodes])
    order = sorted(range(n), key=lambda i: (-degree[i], i))
    anchors = order[: min(ANCHORS, n)]
    rows, cols = [], []
    for u, v in g.edges():
        rows += [index[u], index[v]]
        cols += [index[v], index[u]]
    adj = csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    sub = adj[anchors]
    shared = (sub @ sub.T).toarray() + 2 * sub[:, anchors].toarray()
    np.fill_diagonal(shared, 0)
    h = nx.Graph()
    h.add_nodes_from(range(len(anchors)))
    ai, aj = np.nonzero(np.triu(shared))
    h.add_weighted_edges_from((int(i), int(j), float(np.log1p(shared[i, j]))) for i, j in zip(ai, aj))
    apos = nx.spring_layout(h, seed=SEED, iterations=80, weight="weight", scale=_scale(n))
    xy = np.zeros((n, 2))
    placed = np.zeros(n, dtype=bool)
    for k, i in enumerate(anchors):
        xy[i] = apos[k]
        placed[i] = True
    rest = [i for i in order if not placed[i]]
    while rest:
        groups: dict[tuple, list[int]] = {}
        waiting = []
        for i in rest:
            nbrs = tuple(sorted(index[u] for u in g[nodes[i]] if placed[index[u]]))
            (groups.setdefault(nbrs, []) if nbrs else waiting).append(i)
        if not groups:
            break
        for nbrs, members in groups.items():
            centre = xy[list(nbrs)].mean(axis=0)
            for k, i in enumerate(members):
                r = SPACING * (1.2 + 0.9 * math.sqrt(k))
                xy[i] = centre + r * np.array([math.cos(k * GOLDEN + len(nbrs)), math.sin(k * GOLDEN + len(nbrs))])
        for members in groups.values():
            placed[members] = True
        rest = waiting
    if rest:
        loose = g.subgraph([nodes[i] for i in rest])
        sub_pos = layout(nx.Graph(loose)) if len(rest) < n else {}
        right = xy[placed, 0].max() + 4 * SPACING if placed.any() else 0.0
        left = min((p[0] for p in sub_pos.values()), default=0)
        for i in rest:
            x, y = sub_pos.get(nodes[i], (0, 0))
            xy[i] = (right + x - left, y)
    return xy


def _separate(xy: np.ndarray, gap: float, rounds: int = 30) -> np.ndarray:
    """Push nodes closer than ``gap`` apart, a few deterministic rounds."""
    xy = xy.copy()
    for _ in range(rounds):
        pairs = cKDTree(xy).query_pairs(gap, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = xy[j] - xy[i]
        dist = np.sqrt((d * d).sum(axis=1))
        tiny = dist < 1e-6
        d[tiny] = np.stack([np.cos(i[tiny] * GOLDEN), np.sin(i[tiny] * GOLDEN)], axis=1)
        dist[tiny] = 1.0
        push = (d / dist[:, None]) * ((gap - np.where(tiny, 0.0, dist)) / 2)[:, None]
        delta = np.zeros_like(xy)
        np.subtract.at(delta, i, push)
        np.add.at(delta, j, push)
        xy += delta * 0.5
    return xy
