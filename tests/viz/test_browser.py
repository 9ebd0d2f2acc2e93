"""The HTML view in a real headless Chromium: offline, drawn, searchable, with evidence on click.

Needs Debian's chromium (``apt-get install -y chromium``) and the playwright Python package.
The main test builds the seed reports with ``kg build``, exports Turtle with ``kg export`` and draws that.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDFS, Graph, Literal, URIRef

from kg.viz import write_cooccurrence_view, write_view

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
SEEDS = ROOT / "data" / "reports"
FIXTURE = Path(__file__).parent / "fixtures" / "seed_small.ttl"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install it with `apt-get update && apt-get install -y chromium`")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory) -> Graph:
    """The seed reports built into a fresh store and exported as Turtle by the real command line."""
    tmp = tmp_path_factory.mktemp("seedstore")
    store, ttl = tmp / "store", tmp / "seeds.ttl"
    cli = [sys.executable, "-m", "kg.cli"]
    subprocess.run(cli + ["build", str(SEEDS), "--store", str(store)], check=True, capture_output=True, text=True)
    subprocess.run(cli + ["export", "--store", str(store), "--format", "turtle", "-o", str(ttl)],
                   check=True, capture_output=True, text=True)
    return Graph().parse(ttl)


class Page:
    """An opened view that records every request and console error."""

    def __init__(self, browser, path: Path):
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", lambda route: route.continue_() if route.request.url == self.url else route.abort())
        self.page.goto(self.url)
        self.page.wait_for_function("window.casekgReady === true", timeout=60_000)

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def search(self, text: str) -> list[int]:
        self.page.fill("#search", text)
        self.page.wait_for_function("q => document.getElementById('results').dataset.query === q", arg=text)
        return [int(x) for x in self.page.eval_on_selector_all("#results li[data-node]", "els => els.map(e => e.dataset.node)")]

    def click_node(self, node: int) -> None:
        x, y = self.js(f"""(() => {{
            const net = window.casekgNetwork, p = net.canvasToDOM(net.getPositions([{node}])[{node}]);
            const r = document.getElementById('graph').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }})()""")
        self.page.mouse.click(x, y)

    def offline(self) -> bool:
        return all(u == self.url for u in self.requests)


def test_seed_view_offline_search_click_evidence(browser, seed_graph, tmp_path):
    out = tmp_path / "seeds.html"
    stats = write_view(seed_graph, out, title="casekg seeds")
    view = Page(browser, out)
    assert view.offline(), view.requests
    assert view.requests == [view.url]
    assert view.errors == []
    assert view.js("window.casekgNetwork.body.data.nodes.length") == stats.nodes
    assert view.js("window.casekgNetwork.body.data.edges.length") == stats.edges
    assert view.js("Object.keys(window.casekgNetwork.body.nodes).length") == stats.nodes

    hits = view.search("calcinosis")
    labels = [view.js(f"window.casekgData.nodes[{i}].l") for i in hits]
    assert labels[0].lower() == "calcinosis", labels
    calcinosis = hits[0]
    assert calcinosis in view.js("window.casekgNetwork.getSelectedNodes()")

    view.click_node(calcinosis)
    view.page.wait_for_function(f"document.getElementById('info').dataset.node === '{calcinosis}'")
    faded = view.js("window.casekgNetwork.body.data.nodes.get().filter(n => n.label === '').length")
    neighbours = view.js(f"window.casekgNetwork.getConnectedNodes({calcinosis}).length")
    assert faded == stats.nodes - 1 - neighbours, "everything outside the clicked node's neighbourhood is faded"
    assert view.page.inner_text("#info h3").lower().startswith("calcinosis")
    sentences = view.page.eval_on_selector_all("#info blockquote.ev", "els => els.map(e => e.textContent)")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    quoted = [s for s in sentences if any(s in t for t in texts)]
    assert any("calcinosis" in s.lower() for s in quoted), sentences[:5]
    assert "chars" in view.page.inner_text("#info")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    view.page.screenshot(path=str(ARTIFACTS / "view_seeds.png"))
    assert view.offline() and view.errors == []
    view.page.close()


def test_kind_filter_hides_nodes(browser, tmp_path):
    out = tmp_path / "small.html"
    write_view(Graph().parse(FIXTURE), out)
    view = Page(browser, out)
    visible = "Object.values(window.casekgNetwork.body.nodes).filter(n => !n.options.hidden).length"
    assert view.js(visible) == 11
    view.page.uncheck("#kind-article")
    assert view.js(visible) == 9
    assert view.search("Taki") == []
    assert view.page.inner_text("#results") == "no match"
    view.page.check("#kind-article")
    assert view.js(visible) == 11
    view.page.close()


def test_evidence_is_shown_as_text_not_markup(browser, tmp_path):
    g = Graph().parse(FIXTURE)
    raynaud = URIRef("http://purl.obolibrary.org/obo/HP_0030880")
    evil = '<img src="http://example.org/x.png" onerror="window.pwned=1">Raynaud</script>'
    g.remove((raynaud, RDFS.label, None))
    g.add((raynaud, RDFS.label, Literal(evil)))
    out = tmp_path / "evil.html"
    write_view(g, out)
    view = Page(browser, out)
    hits = view.search("onerror")
    assert len(hits) == 1
    view.page.keyboard.press("Enter")
    view.page.wait_for_function(f"document.getElementById('info').dataset.node === '{hits[0]}'")
    assert view.page.inner_text("#info h3") == evil
    assert view.js("document.querySelectorAll('#info img, #results img').length") == 0
    assert view.js("window.pwned === undefined")
    assert "RAYNAUD phenomenon" in view.page.inner_text("#info")
    assert view.offline(), view.requests
    view.page.close()


def test_cooccurrence_view_draws(browser, seed_graph, tmp_path):
    out = tmp_path / "co.html"
    stats = write_cooccurrence_view(seed_graph, out)
    assert stats.nodes > 10
    view = Page(browser, out)
    assert view.offline() and view.errors == []
    assert view.js("window.casekgNetwork.body.data.nodes.length") == stats.nodes
    assert view.js("window.casekgNetwork.body.data.edges.length") == stats.edges
    view.page.close()
