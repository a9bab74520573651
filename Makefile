# Two commands for a fresh clone: `make run` and `make test`. Everything else builds on them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DATA ?= data

.PHONY: run test bench chaos soak demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("mishu needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/mishu --data $(DATA)

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench

chaos: $(STAMP)
	$(PY) -m bench chaos

soak: $(STAMP)
	$(PY) -m bench soak

demo: $(STAMP)
	$(VENV)/bin/mishu --data $(DATA) demo

clean:
	rm -rf $(VENV) build *.egg-info
