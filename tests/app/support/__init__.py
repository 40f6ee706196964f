"""Plain helpers of the app-level tests, one definition each; import them from here
(``from tests.app.support import page_text, workbook``). Fixtures live in
``tests/app/conftest.py``, never here.

- ``web``: the test settings, clients, logging in, uploads, and reading pages.
- ``files``: workbooks built and read back, the imports' headers, PDF text, images.
- ``data``: counting rows and statements, emptying the tables, marks and award rules written
  directly, valid resident ID numbers.
- ``scenes``: what the scene fixtures return, and the judging helpers over a scene.
"""

from tests.app.support.data import (
    add_marks,
    count,
    count_queries,
    empty_all_tables,
    event_rule,
    resident_id,
    resident_id_ending_in_x,
    set_marks,
    wrong_check_digit,
)
from tests.app.support.files import (
    EN_HEADERS,
    JUDGE_HEADERS,
    SCHEME_HEADERS,
    TRADE_HEADERS,
    ZH_HEADERS,
    annotated_workbook,
    contestants_workbook,
    make_zip,
    open_workbook,
    pdf_pages,
    png,
    read_workbook,
    rezip,
    row,
    workbook,
)
from tests.app.support.scenes import (
    PNG,
    ROLES,
    TITLE,
    Competition,
    Scenario,
    Scene,
    Spare,
    World,
    audit_count,
    cell,
    fill,
    may_score,
    outcome,
    stored,
)
from tests.app.support.web import (
    PASSWORD,
    CleanClient,
    app_settings,
    client_for,
    csrf_token,
    field_error,
    flashes,
    form_errors,
    fresh_client,
    log_in,
    page_text,
    post_file,
    report_rows,
    route_url,
)

__all__ = [
    "EN_HEADERS", "JUDGE_HEADERS", "PASSWORD", "PNG", "ROLES", "SCHEME_HEADERS", "TITLE",
    "TRADE_HEADERS", "ZH_HEADERS", "CleanClient", "Competition", "Scenario", "Scene", "Spare",
    "World", "add_marks", "annotated_workbook", "app_settings", "audit_count", "cell", "client_for",
    "contestants_workbook", "count", "count_queries", "csrf_token", "empty_all_tables",
    "event_rule", "field_error", "fill", "flashes", "form_errors", "fresh_client", "log_in",
    "make_zip", "may_score", "open_workbook", "outcome", "page_text", "pdf_pages", "png",
    "post_file", "read_workbook", "report_rows", "resident_id", "resident_id_ending_in_x", "rezip",
    "route_url", "row", "set_marks", "stored", "workbook", "wrong_check_digit",
]
