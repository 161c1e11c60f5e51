import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symetrie.settings")
application = get_wsgi_application()
# Import every view now (the dashboards bring pandas and SciPy) rather than on each web
# process's first request, which would take a second or more. With gunicorn's
# --preload this happens once, before the processes are forked.
import_module(settings.ROOT_URLCONF)
