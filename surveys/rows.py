"""Hand-written SQL for the respondents' hot path, built once per process from the models.

Every visit of a link looks the link up, and every submission writes a response and
its answers. Django compiles a queryset's SQL on each evaluation, which on these
small statements costs more CPU than PostgreSQL spends running them. Here the lookup
is written once from the models' own fields and tables, and its values go through
the backend's converters, so what is read is exactly what the ORM would read. On
PostgreSQL these statements are prepared once per connection (`statements`).
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections

try:
    import psycopg
except ImportError:  # SQLite only
    psycopg = None  # type: ignore[assignment]  # the module or None, tested below


class JoinedLookup:
    """Find one row of `model` by a unique column, in one query, reading only `fields`
    of it and, for each required foreign key named in `related`, the listed fields of
    the row it points to (set on the instance, as select_related would).

    The instances are what `.only()` would give: a field left out is read from the
    database when first used, so leaving one out costs a query, never a wrong value.
    """

    def __init__(self, model, column, fields, related=None):
        self.model = model
        self.column = column
        self.fields = tuple(fields)
        self.related = dict(related or {})
        self._plan = None

    def _build(self):
        quote = connection.ops.quote_name
        meta = self.model._meta
        parts = [(self.model, "t0", None, self.fields)]
        joins = []
        for index, (name, fields) in enumerate(self.related.items(), start=1):
            field = meta.get_field(name)
            if field.null:
                raise ValueError(f"{name} is nullable: an inner join would lose rows")
            target = field.related_model
            alias = f"t{index}"
            parts.append((target, alias, field, fields))
            joins.append(
                f"JOIN {quote(target._meta.db_table)} {alias} "
                f"ON {alias}.{quote(target._meta.pk.column)} = t0.{quote(field.column)}"
            )
        columns, readers = [], []
        for model, alias, relation, names in parts:
            wanted = {model._meta.get_field(name) for name in names}
            # In the model's order: Model.from_db expects the values in that order.
            fields = [field for field in model._meta.concrete_fields if field in wanted]
            columns += [f"{alias}.{quote(field.column)}" for field in fields]
            converters = []
            for field in fields:
                column = field.get_col(alias)
                functions = connection.ops.get_db_converters(column)
                functions += column.get_db_converters(connection)
                converters.append((column, functions))
            readers.append((model, relation, [field.attname for field in fields], converters))
        where = quote(meta.get_field(self.column).column)
        # Names come from the models' meta, quoted; the value is bound.
        select = f"SELECT {', '.join(columns)} FROM {quote(meta.db_table)} t0 "  # noqa: S608
        sql = f"{select}{' '.join(joins)} WHERE t0.{where} = %s"
        return sql, readers

    def get(self, value):
        """The instance whose column equals `value`, or None."""
        if self._plan is None:
            self._plan = self._build()
        sql, readers = self._plan
        db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy
        with statements() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        position, instance = 0, None
        for model, relation, attnames, converters in readers:
            values = []
            for column, functions in converters:
                value = row[position]
                position += 1
                for function in functions:
                    value = function(value, column, db)
                values.append(value)
            loaded = model.from_db(db.alias, attnames, values)
            if instance is None:
                instance = loaded
            else:
                relation.set_cached_value(instance, loaded)
        return instance


if psycopg is not None:

    class _PreparedCursor(psycopg.Cursor):
        """Parameters bound by the server, and each statement prepared by PostgreSQL
        the first time this connection runs it: later runs skip parsing and planning."""

        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True)


@contextmanager
def statements():
    """A cursor for the hot path's fixed statements, in the current transaction.

    On PostgreSQL, a cursor that prepares them, kept with its connection for the
    next statements (errors still arrive as Django's database exceptions);
    elsewhere Django's own cursor.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a lookup per use
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    # As Django's own cursor(): the health check first, then a connection.
    db.close_if_health_check_failed()
    db.ensure_connection()
    kept = db.__dict__.get("_prepared_cursor")
    if kept is None or kept.connection is not db.connection or kept.closed:
        kept = db.__dict__["_prepared_cursor"] = _PreparedCursor(db.connection)
    with db.wrap_database_errors:
        yield kept
