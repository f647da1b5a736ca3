"""The results service (DESIGN §11): receives every attempt a worker sends, re-scores it, stores it once.

The only package that imports FastAPI, SQLAlchemy and Alembic; nothing outside it imports it but
``cli.py``, through ``commands.py``, which loads the rest only when a ``results`` command runs.

  commands.py   python -m generator results serve | migrate | add-user | export | purge
  service.py    what the service knows at start: quizzes (the core loader), units.yaml, origins, limits
  attempts.py   one record as sent (pydantic) and every check of it, with a plain reason in both languages
  app.py        the ASGI app (FastAPI): endpoints, CORS, body limit, rate limits, error replies
  admin.py      the staff pages under /admin/: login (throttled), sessions, CSRF, the overview
  templates/    their Jinja2 templates (autoescaped, no external resources)
  limits.py     token buckets per client address and per device; the client's address behind a proxy
  store.py      tables, engines (SQLite in WAL mode, PostgreSQL), migrations, every query
  migrations/   Alembic's scripts, run from store.migrate (no alembic.ini)
  export.py     the attempts as an .xlsx sheet, formulas neutralised
"""
