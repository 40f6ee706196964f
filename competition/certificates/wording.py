"""What a certificate says: its title, the body in Chinese (and English) and the lines under the
QR code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.colors import Color

from competition.certificates.style import GREY, INK, RED
from competition.certificates.text import Para, Run

if TYPE_CHECKING:
    from competition.certificates.render import CertificateData

TITLES = {"award": "获奖证书", "title": "荣誉证书", "participation": "参赛证书"}
TITLES_EN = {
    "award": "Certificate of Award",
    "title": "Certificate of Honour",
    "participation": "Certificate of Participation",
}


def bilingual(cert: CertificateData) -> bool:
    return cert.language == "zh_en"


def body_zh(cert: CertificateData, highlight: Color = RED) -> list[Para]:
    """The Chinese citation: addressee, what was achieved, and the closing formula."""
    opening = [
        Run("代表 "), Run(cert.delegation, bold=True, keep=True), Run(" 参加 "),
        Run(cert.event_name, bold=True), Run(" "), Run(cert.trade, bold=True, keep=True),
    ]
    if cert.kind == "award":
        achieved = [
            Run(" 赛项比赛，荣获 "), Run(cert.award_text, 1.25, highlight, True, True), Run("。"),
        ]
        closing = "特发此证，以资鼓励。"
    elif cert.kind == "title":
        achieved = [
            Run(" 赛项比赛，成绩优异，被授予"),
            Run(f"“{cert.award_text}”", 1.25, highlight, True, True),
            Run("称号。"),
        ]
        closing = "特发此证，以资鼓励。"
    else:
        achieved = [Run(" 赛项比赛。")]
        closing = "特发此证。"
    return [
        Para([Run(cert.contestant_name, 1.35, INK, True, True), Run(" 同志：")]),
        Para(opening + achieved, indent=2, align="justify"),
        Para([Run(closing)], indent=2),
    ]


def body_en(cert: CertificateData, scale: float = 0.75) -> Para:
    """The English citation printed beneath the Chinese one on bilingual certificates."""
    event = cert.event_name_en or cert.event_name
    award = cert.award_text_en or cert.award_text
    who = f"This is to certify that {cert.contestant_name} of {cert.delegation} "
    where = f"in the {cert.trade} competition of the {event}"
    if cert.kind == "award":
        text = f"{who}has won {award} {where}."
    elif cert.kind == "title":
        text = f"{who}has been granted the title of {award} {where}."
    else:
        text = f"{who}has participated {where}."
    return Para([Run(text, scale, GREY)])


def number_label(cert: CertificateData) -> str:
    return "证书编号 No. " if bilingual(cert) else "证书编号："


def verify_label(cert: CertificateData) -> str:
    return "扫码查验证书真伪 Scan to verify" if bilingual(cert) else "扫描二维码查验证书真伪"
