"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` on a kept connection before a
request first uses it: a round trip on every request that touches the database. A
connection that PostgreSQL ended (a restart, a fail-over, an idle timeout) has been
sent a closing notice and its socket closed, so reading what arrived while it sat
idle is enough to tell: when nothing arrived, the connection is kept without a
query; when something did, Django's own check runs. A request on a
connection found dead opens a new one; one that fails anyway (the server unreachable)
gets the site's 503 page, and the connection is dropped after it.
"""

import select

from django.db.backends.postgresql import base
from psycopg import OperationalError
from psycopg.pq import ConnStatus, TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        pgconn = connection.pgconn
        try:
            waiting = select.poll()
            waiting.register(pgconn.socket, select.POLLIN)
            if not waiting.poll(0):
                # Nothing arrived while it sat idle: the usual case, and no round trip.
                return pgconn.status == ConnStatus.OK and pgconn.transaction_status in (
                    TransactionStatus.IDLE,
                    TransactionStatus.INTRANS,
                )
            pgconn.consume_input()  # raises once the server has closed its end
        except (OperationalError, OSError):
            return False
        # Something came (a closing notice ahead of the end of the stream, or a
        # notification): ask the server, as Django does.
        return super().is_usable()
