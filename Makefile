# Short targets for a fresh machine: `make run` serves the site, `make test` checks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: install install-dev install-vnu run test lint format check migrations-check createsuperuser messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

# The Nu Html Checker for tests/test_valid_html.py: vnu-jar from the npm registry, run
# with the machine's Java (17 or later). Kept under var/, out of git.
VNU_VERSION := 26.9.27
install-vnu:
	npm install --silent --no-save --no-audit --no-fund --prefix var/vnu vnu-jar@$(VNU_VERSION)

# A key made once per checkout, kept out of git, so sessions survive restarts.
var/secret_key:
	mkdir -p var
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# Local defaults for `make run`: staff emails are printed to the console, since a
# fresh machine has no mail server. Production sets these in its environment.
LOCAL_ENV = SITE_URL="http://127.0.0.1:$(PORT)" HTTPS="$${HTTPS:-false}" \
	DEFAULT_FROM_EMAIL="$${DEFAULT_FROM_EMAIL:-website@localhost}" \
	ENQUIRY_DEFAULT_RECIPIENTS="$${ENQUIRY_DEFAULT_RECIPIENTS:-enquiries@localhost}" \
	EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"

# gunicorn and the notification worker side by side; Ctrl-C (or gunicorn exiting)
# stops both.
run: install var/secret_key
	export SECRET_KEY="$$(cat var/secret_key)" $(LOCAL_ENV); \
	$(MANAGE) migrate --noinput && \
	$(MANAGE) load_seed_content && \
	$(MANAGE) collectstatic --noinput --verbosity 0 && \
	{ $(MANAGE) notification_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/gunicorn atma_site.wsgi --config deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT); }

test: install-dev
	SECRET_KEY="$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	SITE_URL=http://testserver ENQUIRY_DEFAULT_RECIPIENTS=enquiries@testserver \
	HTTPS=false DEFAULT_FROM_EMAIL=website@testserver \
	$(BIN)/pytest $(PYTEST_ARGS)

# After marking new strings: gather them into the Spanish catalogue, then (once each has
# its Spanish) compile it. Needs GNU gettext. The compiled catalogue is committed, so a
# fresh machine serves Spanish without gettext.
messages: install
	$(MANAGE) makemessages -l es --no-obsolete --add-location file
	$(MANAGE) compilemessages -l es

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

check: install
	DEBUG=true $(MANAGE) check

createsuperuser: install var/secret_key
	export SECRET_KEY="$$(cat var/secret_key)" $(LOCAL_ENV); \
	$(MANAGE) migrate --noinput && $(MANAGE) createsuperuser
