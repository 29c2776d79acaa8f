"""Whether a database error is an outage (the database away) or a statement refused.

Its own module: the health check and the replica router both ask it, and the
health check reports on the replicas.
"""

from django.db.utils import InterfaceError, OperationalError

# SQLSTATE classes of a database that is not there for now: connection
# exceptions, insufficient resources, operator intervention (a restart).
OUTAGE_CLASSES = {"08", "53", "57"}


def is_outage(exception):
    """Whether ``exception`` says the database is away, not that a statement failed.

    A statement PostgreSQL refuses (a word too long for the index, say) is an
    OperationalError too, with its SQLSTATE: that is a bug to see as a 500,
    not an outage to wait out.
    """
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    code = getattr(exception.__cause__, "pgcode", None)
    return code is None or code[:2] in OUTAGE_CLASSES
