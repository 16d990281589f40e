# note-assistant: everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo-data/demo.db

.PHONY: demo test bench eval stress train clean help

help:
	@echo "make demo   - create .venv, build the demo database, launch the app"
	@echo "make test   - create/update .venv and run the test suite"
	@echo "make bench  - run the benchmarks (figures go to BENCHMARKS.md)"
	@echo "make eval   - print held-out evaluation figures"
	@echo "make train  - retrain the process-content classifier from the tune split"
	@echo "make stress - crash/concurrency runs, then the whole suite on encrypted databases"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# pip compiles bytecode for what it installs, but not for an editable install: do it here
	@# so the first start does not compile every module (PYTHONDONTWRITEBYTECODE may be set).
	$(BIN)/python -m compileall -q note_formats abbreviations note_assistant
	@touch $(STAMP)

demo: $(STAMP)
	@mkdir -p $(dir $(DEMO_DB))
	$(BIN)/note-assistant --db $(DEMO_DB) demo --if-missing
	$(BIN)/note-assistant --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

# The slow runs (kill -9 x 200, 4 writers x 500), then the whole suite again on SQLCipher-
# encrypted databases (the store fixtures and the slow runs follow NOTE_ASSISTANT_TEST_ENCRYPTED).
stress: $(STAMP)
	$(BIN)/python -m pytest -q -m slow
	NOTE_ASSISTANT_TEST_ENCRYPTED=1 $(BIN)/python -m pytest -q -n 2

bench: $(STAMP)
	$(BIN)/python -m benchmarks

eval: $(STAMP)
	$(BIN)/python -m eval

# Retrain the process-content textcat (tune split only) into the package.
train: $(STAMP)
	$(BIN)/python -m eval.eval_process_content --train-textcat

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
