"""Vangnet: keep young people in a vulnerable position in sight."""

from .celery import app as celery_app

__all__ = ["celery_app"]
