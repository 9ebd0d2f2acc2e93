"""Shared fixtures: the seed reports built once per session into a temporary store and exported as Turtle."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"


@pytest.fixture(scope="session")
def pipeline():
    from kg.extract.pipeline import Pipeline
    return Pipeline.load()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """A store holding the two seed reports, built through the public build function."""
    from kg.build import build
    from kg.store import Store

    path = tmp_path_factory.mktemp("seed-store") / "store"
    store = Store.open(path)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = build([REPORTS], store)
    finally:
        os.chdir(cwd)
    assert not result.failures, result.failures
    return store


@pytest.fixture(scope="session")
def seed_turtle(seed_store) -> bytes:
    return seed_store.export("turtle")


@pytest.fixture(scope="session")
def seed_graph(seed_turtle) -> rdflib.Graph:
    return rdflib.Graph().parse(data=seed_turtle.decode("utf-8"), format="turtle")
