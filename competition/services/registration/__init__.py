"""Registration: contestants and entrants (``people``), the lists and venue sheets (``lists``),
the draw of numbers and anonymous codes (``draw``). The contestant import is in
``competition.services.imports``."""

from competition.services.registration.draw import draw, draws, reveal_codes, verify
from competition.services.registration.lists import (
    contestant_page,
    contestant_query,
    delegation_sheet,
    entrants,
    find_by_id_number,
    registration_list,
    sign_in_sheet,
    summary,
)
from competition.services.registration.people import (
    Person,
    check_person,
    next_numbers,
    register,
    set_status,
    update,
)

__all__ = [
    "Person", "check_person", "contestant_page", "contestant_query", "delegation_sheet", "draw",
    "draws", "entrants", "find_by_id_number", "next_numbers", "register", "registration_list",
    "reveal_codes", "set_status", "sign_in_sheet", "summary", "update", "verify",
]
