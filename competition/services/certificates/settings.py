"""An event's certificate settings: layout, language, printed wording, background and seal."""

from __future__ import annotations

import io
import warnings

import sqlalchemy as sa
from PIL import Image, UnidentifiedImageError

from competition.certificates.render import LAYOUTS
from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import CertificateSettings, Event, User
from competition.services.authority import require_organizer
from competition.services.errors import Invalid, committing

LANGUAGES = ("zh", "zh_en")
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # e.g. 8000 × 5000: an A4 page at 600 dpi is about 35 million
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def settings_for(event: Event) -> CertificateSettings:
    """The event's certificate settings; the defaults (not saved) if it has none yet."""
    found = db.session.scalar(sa.select(CertificateSettings)
                              .where(CertificateSettings.event_id == event.id))
    return found or CertificateSettings(event_id=event.id, layout="classic", language="zh",
                                        participation=False, organizer_text="", date_text="",
                                        background_type="", seal_type="")


def check_image(data: bytes, field: str) -> tuple[bytes, str]:
    """``data`` if it is a PNG or JPEG image of bounded size, with its MIME type as Pillow
    found it (the file's name and declared type are never trusted); Invalid otherwise."""
    def refuse(message: str, **params) -> Invalid:
        return Invalid({field: Problem(message, params)})

    if not data:
        raise refuse(N_("The file is empty."))
    if len(data) > MAX_IMAGE_BYTES:
        raise refuse(N_("The image is larger than %(mb)s MB."), mb=MAX_IMAGE_BYTES // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in IMAGE_TYPES:
                    raise refuse(N_("Upload a PNG or JPEG image."))
                if width * height > MAX_IMAGE_PIXELS:
                    raise refuse(N_("The image has too many pixels (at most %(n)s million)."),
                                 n=MAX_IMAGE_PIXELS // 1_000_000)
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Invalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError, EOFError):
        raise refuse(N_("Upload a PNG or JPEG image.")) from None
    return data, IMAGE_TYPES[kind]


def save_settings(event: Event, user: User | None, *, layout: str, language: str,
                  participation: bool, organizer_text: str, date_text: str,
                  background: bytes | None = None, seal: bytes | None = None,
                  drop_background: bool = False, drop_seal: bool = False) -> CertificateSettings:
    """Change the event's certificate settings; uploaded images are checked first."""
    require_organizer(user, event.id)
    problems = {}
    if layout not in LAYOUTS:
        problems["layout"] = Problem(N_("Choose a layout."))
    if language not in LANGUAGES:
        problems["language"] = Problem(N_("Choose a language."))
    images = {}
    for field, data in (("background", background), ("seal", seal)):
        if data is not None:
            try:
                images[field] = check_image(data, field)
            except Invalid as refusal:
                problems.update(refusal.problems)
    if problems:
        raise Invalid(problems)
    with committing():
        settings = settings_for(event)
        db.session.add(settings)
        settings.layout, settings.language = layout, language
        settings.participation = participation
        settings.organizer_text = organizer_text.strip()[:200]
        settings.date_text = date_text.strip()[:100]
        for field, drop in (("background", drop_background), ("seal", drop_seal)):
            if field in images:
                setattr(settings, field, images[field][0])
                setattr(settings, f"{field}_type", images[field][1])
            elif drop:
                setattr(settings, field, None)
                setattr(settings, f"{field}_type", "")
    return settings


