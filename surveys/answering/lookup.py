"""What a link opens: its invitation or public link, with the campaign read alongside,
and the campaign's frozen questions of one side."""

from django.db import connections
from django.db.models import Subquery

from surveys.branding import SINGLETON
from surveys.models import Branding, Campaign, CampaignQuestion, Invitation, PublicLink, hash_token

# Personal tokens are 43 URL-safe characters, public ones 16; anything far from that
# is refused before touching the database.
TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
# What the answering pages read of a link's campaign; any other field is read from the
# database when first used (a query more, never a wrong value).
CAMPAIGN_FIELDS = ("id", "name", "status", "opens_on", "closes_on", "ask_clients", "created_at")
INVITATION_FIELDS = ("id", "campaign", "team", "side", "language", "used")
PUBLIC_LINK_FIELDS = ("id", "campaign", "team")


def _plausible(token):
    return 8 <= len(token) <= 128 and set(token) <= TOKEN_CHARACTERS


class _Lookup:
    """One row of a model, its campaign, its team's name and the branding's version
    (0 when never set) by one field's value, read with SQL that
    the ORM compiles once per database (compiling the same query on every request
    cost more than running it: 0.33 → 0.42–0.46 × bare in A/B runs, bench/README.md).

    The row's values go through the ORM's own converters (none on PostgreSQL; dates
    and booleans on SQLite), then become a `model` instance with `fields` loaded and
    its campaign with CAMPAIGN_FIELDS, as `select_related("campaign").only(...)` would
    give; Django counts and logs the query as any other.
    """

    def __init__(self, model, fields, key):
        self.model, self.key = model, key
        # In the models' field order, the order Model.from_db takes values in.
        self.own = _in_model_order(model, fields)
        self.related = _in_model_order(Campaign, CAMPAIGN_FIELDS)
        self._compiled = {}

    def _compile(self, using):
        sentinel = "lookup-key-placeholder"
        queryset = self.model.objects.using(using).filter(**{self.key: sentinel})
        version = Subquery(Branding.objects.filter(pk=SINGLETON).values("version"))
        queryset = queryset.annotate(branding_version=version)
        columns = [*self.own, *(f"campaign__{name}" for name in self.related)]
        columns += ["team__name", "branding_version"]
        compiler = queryset.values_list(*columns).query.get_compiler(using)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return compiler, sql, list(params), list(params).index(sentinel), converters

    def __call__(self, value, using="default"):
        if using not in self._compiled:
            self._compiled[using] = self._compile(using)
        compiler, sql, params, position, converters = self._compiled[using]
        params = params.copy()
        params[position] = value
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            [row] = compiler.apply_converters([row], converters)
        *row, found_team_name, found_version = row
        found = self.model.from_db(using, self.own, row[: len(self.own)])
        found.campaign = Campaign.from_db(using, self.related, row[len(self.own) :])
        found.team_name, found.branding_version = found_team_name, found_version or 0
        return found


def _in_model_order(model, names):
    wanted = {model._meta.get_field(name).attname for name in names}
    return [field.attname for field in model._meta.concrete_fields if field.attname in wanted]


_invitation = _Lookup(Invitation, INVITATION_FIELDS, "token_hash")
_public_link = _Lookup(PublicLink, PUBLIC_LINK_FIELDS, "token")


def invitation_for(token):
    """The Invitation of a personal token, its campaign loaded with it in one query, or
    None for anything unknown or malformed."""
    if not _plausible(token):
        return None
    return _invitation(hash_token(token))


def public_link_for(token):
    """The PublicLink of a public token, its campaign loaded with it in one query, or None."""
    if not _plausible(token):
        return None
    return _public_link(token)


def questions_for(campaign, side):
    """The campaign's frozen questions of one side, in order."""
    return list(
        CampaignQuestion.objects.filter(campaign=campaign, side=side).order_by("order", "pk")
    )
