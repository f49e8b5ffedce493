"""gunicorn settings for `make run` and `make bench`: loopback by default, PORT and WEB_CONCURRENCY from the environment."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
