"""Container health check for the web process: exit 0 when /healthz says ok.

The request carries the first name in ALLOWED_HOSTS and the header the
reverse proxy sets (X-Forwarded-Proto: https), so it passes the host check and
is not redirected to HTTPS. The standard library only: the image has no curl.
"""

import json
import os
import sys
import urllib.request


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
    hosts = [name.strip() for name in os.environ.get("ALLOWED_HOSTS", "").split(",") if name.strip()]
    host = next((name.lstrip(".") for name in hosts if name != "*"), "localhost")
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            body = json.load(response)
    except (OSError, ValueError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)  # noqa: T201
        return 1
    if body.get("status") != "ok":
        print(f"unhealthy: {body}", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
