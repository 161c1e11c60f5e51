"""The Redis broker transport, made to survive losing Redis while a worker holds tasks.

kombu 5.7's Redis transport, on a lost connection, closes the channel and tries to
put the tasks the worker holds unacknowledged (one waiting for its countdown: every
barometer refresh, every retry) back on the queue, through a connection that is
already gone. That raises AttributeError outside the errors the worker expects, and
the worker process exits.

This transport skips that restore when the connection is gone: the messages stay in
Redis's unacknowledged set, from which kombu itself puts them back on the queue after
the visibility timeout (or, if Redis restarted empty, they are lost and the periodic
tasks redo their work: the barometer sweep, the calendar task's pending e-mails). The
worker then reconnects as it does after any outage.
"""

import logging

from kombu.transport import redis

log = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        connection = self.channel.connection
        if client is None and (connection is None or connection.client is None):
            if self._delivered:
                log.warning(
                    "Broker connection lost with %d task(s) held; they return to the "
                    "queue after the visibility timeout",
                    len(self._delivered),
                )
            self._delivered.clear()
            return None
        return super().restore_unacked(client)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
