# Shortcuts for the commands in README.md (each target is one of them; the README is the reference).
.PHONY: run dev test fast screenshots lint format bench load

run:            ## the app as in production (security headers, HttpOnly login cookie)
	streamlit run serve.py

dev:            ## the bare app
	streamlit run app.py

test:           ## the README's test command
	python -m pytest

fast:           ## the tests without the browser
	python -m pytest -m "not browser"

screenshots:    ## the browser tests, saving a full-page screenshot of every screen to screenshots/
	DATABLIK_SCREENSHOTS=1 python -m pytest -m browser

lint:           ## what CI checks before the tests
	ruff check . && ruff format --check .

format:
	ruff format .

bench:
	python -m benchmarks

load:
	python -m benchmarks.load --users 20 --seconds 60 --repeat 4
