# Targets mirror CI: `make test` is what .ci/run runs.
.PHONY: install demo test lint

install:
	uv sync --frozen
	npm ci --no-audit --no-fund

demo:
	scripts/demo

test:
	scripts/test

lint:
	uv run ruff check .
