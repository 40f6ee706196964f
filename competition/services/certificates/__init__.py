"""Certificates: issuing them from published results, verifying them, and printing batches.

This ``__init__`` is the package's only door; its modules are:

- ``settings``: the event's layout, language, wording, background and seal (images checked).
- ``issuing``: :func:`issue` keeps the certificates of a trade (or of every trade of an event) in
  step with the latest published version, following ``competition.domain.certificates``: an
  unchanged award keeps its certificate and number; an award changed or removed by an amendment
  revokes the certificate with the amendment's reason, and a person still entitled gets a new
  certificate, with a new number, that replaces the old one. Running it twice changes nothing.
  :func:`follow_amendment` does it for an amended trade inside the amendment's own transaction
  (``services.publishing``), so the verification page says so the moment the amendment commits.
  Numbers end in a random check code, so they cannot be guessed from one another.
- ``verification``: :func:`verify` answers the public verification page: nothing but "it exists"
  while the certificate's results are not public (``competition.domain.verification``).
- ``printing``: choosing a batch and printing it as one PDF or a ZIP of one PDF per person, after
  checking every name against the font (:class:`GlyphsMissing`).
- ``jobs``: batches printed in a background thread with their progress in an ExportJob row.
"""

from competition.services.certificates.issuing import IssueReport, follow_amendment, issue
from competition.services.certificates.jobs import (
    FORMATS,
    exports_dir,
    job_file,
    recent_jobs,
    run_job,
    start_job,
)
from competition.services.certificates.printing import (
    GlyphProblem,
    GlyphsMissing,
    event_glyph_problems,
    glyph_problems,
    prepare,
    printed,
    sample,
    search,
    selection,
    write_batch,
)
from competition.services.certificates.settings import (
    MAX_IMAGE_BYTES,
    check_image,
    save_settings,
    settings_for,
)
from competition.services.certificates.verification import Verification, normalise_number, verify, verify_url

__all__ = [
    "FORMATS", "MAX_IMAGE_BYTES", "GlyphProblem", "GlyphsMissing", "IssueReport",
    "Verification", "check_image", "event_glyph_problems", "exports_dir", "follow_amendment",
    "glyph_problems", "issue", "job_file", "normalise_number", "prepare", "printed",
    "recent_jobs", "run_job", "sample", "save_settings", "search", "selection", "settings_for",
    "start_job", "verify", "verify_url", "write_batch",
]
