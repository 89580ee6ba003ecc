import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safezones.settings")
application = get_wsgi_application()

# Import every view now rather than on the first request, then set aside
# everything loaded so far (Django, the app, their modules) from the garbage
# collector: it then no longer walks those objects on every full collection,
# which otherwise add a long pause to some requests of a worker that has
# been serving a while.
get_resolver().url_patterns  # noqa: B018 - loads the URL patterns and their views
gc.freeze()
