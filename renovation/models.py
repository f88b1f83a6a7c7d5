"""Imports every model so that metadata is complete (Alembic, create_all)."""

from renovation.accounts.models import *  # noqa: F401,F403
from renovation.aftercare.models import *  # noqa: F401,F403
from renovation.construction.models import *  # noqa: F401,F403
from renovation.core.models import *  # noqa: F401,F403
from renovation.org.models import *  # noqa: F401,F403
from renovation.party.models import *  # noqa: F401,F403
from renovation.planning.models import *  # noqa: F401,F403
from renovation.projects.models import *  # noqa: F401,F403
from renovation.voting.models import *  # noqa: F401,F403
from renovation.wishes.models import *  # noqa: F401,F403
