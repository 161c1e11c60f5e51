"""Benchmarks of Symétrie on its real stack (gunicorn, PostgreSQL, Redis): see bench/README.md."""
