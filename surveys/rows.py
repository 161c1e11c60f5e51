"""Hand-written SQL for the respondents' hot path, built once per process from the models.

Every visit of a link looks the link up, and every submission writes a response and
its answers. Django compiles a queryset's SQL on each evaluation, which on these
small statements costs more CPU than PostgreSQL spends running them. Here the SQL is
written once from the models' own fields and tables, values go through the fields'
own preparation on the way in and the backend's converters on the way out, so what
is read and written is exactly what the ORM would read and write.
"""

from django.db import connection


class JoinedLookup:
    """Find one row of `model` by a unique column, with its required foreign keys
    (`related`, field names) joined and set on the instance, in one query."""

    def __init__(self, model, related, column):
        self.model = model
        self.related = tuple(related)
        self.column = column
        self._plan = None

    def _build(self):
        quote = connection.ops.quote_name
        meta = self.model._meta
        parts = [(self.model, "t0", None)]
        joins = []
        for index, name in enumerate(self.related, start=1):
            field = meta.get_field(name)
            if field.null:
                raise ValueError(f"{name} is nullable: an inner join would lose rows")
            target = field.related_model
            alias = f"t{index}"
            parts.append((target, alias, name))
            joins.append(
                f"JOIN {quote(target._meta.db_table)} {alias} "
                f"ON {alias}.{quote(target._meta.pk.column)} = t0.{quote(field.column)}"
            )
        columns, readers = [], []
        for model, alias, name in parts:
            fields = model._meta.concrete_fields
            columns += [f"{alias}.{quote(field.column)}" for field in fields]
            converters = []
            for field in fields:
                column = field.get_col(alias)
                functions = connection.ops.get_db_converters(column)
                functions += column.get_db_converters(connection)
                converters.append((column, functions))
            readers.append((model, name, [field.attname for field in fields], converters))
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
        with connection.cursor() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        position, instance = 0, None
        for model, name, attnames, converters in readers:
            values = []
            for column, functions in converters:
                value = row[position]
                position += 1
                for function in functions:
                    value = function(value, column, connection)
                values.append(value)
            related = model.from_db(connection.alias, attnames, values)
            if instance is None:
                instance = related
            else:
                setattr(instance, name, related)
        return instance


def insert_rows(cursor, model, attnames, rows):
    """INSERT `rows` (tuples of values in `attnames` order) of `model` in one statement.

    Values are prepared by the fields as a save would (UUIDs, dates, foreign keys).
    No signal is sent and no default applied: every column needed is in `attnames`.
    """
    if not rows:
        return
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[attname] for attname in attnames]
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    names = ", ".join(quote(field.column) for field in fields)
    # Names come from the models' meta, quoted; every value is bound.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "  # noqa: S608
    sql += ", ".join([one] * len(rows))
    params = [
        field.get_db_prep_save(value, connection)
        for row in rows
        for field, value in zip(fields, row, strict=True)
    ]
    cursor.execute(sql, params)
