"""An embedded SSM backend for testing code that uses ssm-mw (or plain aiobotocore).

It runs moto's threaded server in-process, with moto's SSM backend extended so
that ssm-mw's maintenance-window operations behave as the AWS API
reference and the botocore model describe, and with fault and latency
injection. See ``docs/testing.md``.

moto is imported only when a server starts (or :func:`install` runs), so
importing this package is cheap. Install the ``testing`` extra to use it.
"""

from .._public import publish as _publish
from ._backend import DEFAULT_MAX_TASKS_PER_WINDOW, install
from ._factory import MaintenanceWindowClientFactory
from ._organization import (
    DEFAULT_ROLE_NAME,
    Organization,
    OrganizationAccount,
    OrganizationalUnit,
)
from ._serve import SERVE_OPTIONS, ServeOption, ServeUsageError, start_served
from ._server import EmbeddedSSMServer

__all__ = [
    "DEFAULT_MAX_TASKS_PER_WINDOW",
    "DEFAULT_ROLE_NAME",
    "SERVE_OPTIONS",
    "EmbeddedSSMServer",
    "MaintenanceWindowClientFactory",
    "Organization",
    "OrganizationAccount",
    "OrganizationalUnit",
    "ServeOption",
    "ServeUsageError",
    "install",
    "start_served",
]

_publish(__name__, globals(), __all__)
