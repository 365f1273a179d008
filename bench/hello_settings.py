"""The production settings plus one hello-world page (`/bonjour/`), for bench/throughput.py.

The page goes through every middleware of the site but reads nothing: the ceiling a public
page can approach on the same server.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.hello_urls"
