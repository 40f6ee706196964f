"""Publishing results: the organizer's use cases that put results before the public, one
transaction each. The pages and the command line publish through here.

This module sits above ``services.results`` and ``services.certificates`` (certificates read
results; results never import certificates):

- :func:`publish` and :func:`publish_all` are results' own (``results.publish``,
  ``results.publish_all``): a first publication cannot touch a certificate, since certificates are
  issued from published versions only.
- :func:`amend` publishes an amendment and, in the same transaction, brings the trade's
  certificates in step with it (``certificates.follow_amendment``): every certificate whose award
  it changes is revoked with its reason, and a person still entitled gets the replacement. The
  verification page says so the moment the amendment is public; no certificate of a taken award
  stays "valid" until somebody next prints.
"""

from __future__ import annotations

from competition.domain.messages import Problem
from competition.models import ResultVersion, Trade, User
from competition.services import certificates, results
from competition.services.errors import committing
from competition.services.results import publish, publish_all

__all__ = ["amend", "publish", "publish_all"]


def amend(trade: Trade, user: User | None, reason: str) -> ResultVersion:
    """Publish corrected results of a published, signed-off trade as the next version, with the
    reason shown beside them (Invalid without a reason), and revoke and replace, at once, the
    certificates whose award it changes. ``user`` None is the command line."""
    with committing(Problem(results.PUBLISH_RACE)):
        version = results.add_amendment(trade, user, reason)
        certificates.follow_amendment(trade)
    return version
