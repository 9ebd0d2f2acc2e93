# Two commands do all set-up on a fresh machine with Python 3.11 and pip:
#   make demo   install, then build the bundled reports, export Turtle, write the HTML view, print a summary
#   make test   install with test extras (and Chromium for the browser test when apt is available), run the tests
PYTHON ?= python3
STORE ?= build/kg-store

.PHONY: install demo test browser clean

install:
	$(PYTHON) -m pip install -q -e .

demo: install
	kg build data/reports --store $(STORE)
	kg export --store $(STORE) --format turtle -o build/kg.ttl
	kg view --store $(STORE) -o build/graph.html
	kg stats --store $(STORE)

browser:
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	  || echo "chromium not installed: browser tests will be skipped"; }

test: browser
	$(PYTHON) -m pip install -q -e ".[test]"
	$(PYTHON) -m pytest -q

clean:
	rm -rf build kg-store
