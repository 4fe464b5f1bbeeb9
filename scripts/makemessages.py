"""Run makemessages (or compilemessages) for the app in the current directory.

Celery's Django fix-up puts the working directory first on sys.path; inside an app directory that
lets e.g. core/rules.py hide the django-rules package. This wrapper imports Vangnet first, then
drops the working directory from sys.path before Django starts.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
os.environ.setdefault("VANGNET_DEMO", "1")
cwd = os.path.abspath(os.getcwd())
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != cwd]

import vangnet  # noqa: E402,F401  (installs the Celery fix-up)

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != cwd]

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402

django.setup()
if sys.argv[1:] == ["compile"]:
    call_command("compilemessages", locale=["nl"], verbosity=0)
else:
    call_command("makemessages", locale=["nl"], no_location=True, no_obsolete=True, verbosity=0)
