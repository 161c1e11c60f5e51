"""Project-wide pages: home, health check and error pages."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from surveys.access import managed_team_codes
from surveys.models import Campaign
from symetrie.roles import is_hr


@login_required
def home(request):
    teams = request.user.managed_teams.select_related("parent").order_by("name")
    campaigns = Campaign.objects.order_by("-closes_on")[:8] if is_hr(request.user) else []
    if teams:
        # A manager's campaigns: those a team of theirs (or below it) was asked in.
        codes = managed_team_codes(request.user)
        campaigns = Campaign.objects.filter(teams__code__in=codes).distinct()[:8]
    # The results API, named for tools, with the address of a campaign that has results.
    started = [c for c in campaigns if c.status in (Campaign.Status.OPEN, Campaign.Status.CLOSED)]
    api_example = started[0] if is_hr(request.user) and started else None
    context = {"teams": teams, "campaigns": campaigns, "api_example": api_example}
    return render(request, "home.html", context)


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_answers():
    if not settings.CELERY_BROKER_URL:
        return True  # tasks run in-process: there is no broker to lose
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_timeout=settings.BROKER_TIMEOUT,
        socket_connect_timeout=settings.BROKER_TIMEOUT,
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


@never_cache
def healthz(request):
    """200 when the database and the broker both answer, 503 otherwise."""
    database, broker = _database_answers(), _broker_answers()
    body = {
        "database": "ok" if database else "unavailable",
        "broker": ("ok" if broker else "unavailable"),
        "broker_kind": "redis" if settings.CELERY_BROKER_URL else "in-process",
    }
    return JsonResponse(body, status=200 if database and broker else 503)
