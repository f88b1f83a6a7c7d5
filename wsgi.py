"""WSGI entry point: ``gunicorn wsgi:app``."""

from renovation import create_app

app = create_app()
