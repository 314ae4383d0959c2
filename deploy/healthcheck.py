"""Container health check: exit 0 when a Simpul health endpoint answers 200, else 1.

    python /opt/simpul/deploy/healthcheck.py http://127.0.0.1:8000/health/

The standard library only (the image has no curl). The endpoint's JSON is printed, so
`docker inspect` shows why a check failed; it never holds anything about people.
"""

import sys
import urllib.error
import urllib.request


def main(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own URL
            print(response.read().decode()[:500])
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(error.code, error.read().decode()[:500])
    except OSError as error:
        print(type(error).__name__, error)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
