import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from safezones.pagecache import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safezones.settings")
# First visits to the public pages are served from a copy kept a few seconds
# (see safezones/pagecache.py); everything else goes to Django.
application = PageCache(get_wsgi_application())

# Import every view now rather than on the first request, then set aside
# everything loaded so far (Django, the app, their modules) from the garbage
# collector: it then no longer walks those objects on every full collection,
# which otherwise add a long pause to some requests of a worker that has
# been serving a while.
get_resolver().url_patterns  # noqa: B018 - loads the URL patterns and their views
gc.freeze()
