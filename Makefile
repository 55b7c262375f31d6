.PHONY: run test bench bench-big lint format

run:
	scripts/run.sh

test:
	scripts/test.sh $(ARGS)

bench:
	scripts/venv.sh test
	.venv/bin/python bench/run.py $(ARGS)

bench-big:
	scripts/venv.sh test
	.venv/bin/python bench/run.py --big $(ARGS)
	.venv/bin/python bench/families.py $(ARGS)
	.venv/bin/python bench/programs.py --reuse

lint:
	scripts/venv.sh test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .
