"""Exit 0 when a service answers: `service_up.py postgres URL` or `service_up.py redis URL`."""

import sys


def postgres_answers(url):
    import psycopg

    try:
        # Connect to the maintenance database: the named one may not exist yet.
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def redis_answers(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


if __name__ == "__main__":
    kind, url = sys.argv[1], sys.argv[2]
    answers = {"postgres": postgres_answers, "redis": redis_answers}[kind](url)
    sys.exit(0 if answers else 1)
