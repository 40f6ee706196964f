"""Certificate PDFs: the words are there, the font travels with the file, the QR code says the
verification address, and nothing runs off the page."""

import io
import re
from dataclasses import replace

import pytest
import segno
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from competition.certificates import fonts
from competition.certificates.fonts import SHIPPED_FONT, missing_glyphs, register_fonts
from competition.certificates.render import (
    LAYOUTS,
    CertificateData,
    MissingGlyphs,
    check_glyphs,
    render_certificates,
    render_one,
)
from competition.certificates.style import PAGE_HEIGHT, PAGE_WIDTH
from competition.certificates.text import Para, Run, fit, wrap
from competition.certificates.wording import (
    TITLES,
    TITLES_EN,
    body_en,
    body_zh,
    number_label,
    verify_label,
)
from tests.app.support import pdf_pages, png

AWARD_TEXT = {"award": "一等奖", "title": "技术能手", "participation": "参赛证书"}


def make_cert(**overrides) -> CertificateData:
    fields = dict(
        number="HN2026-0012-0001",
        kind="award",
        event_name="2026年湖南省职业技能大赛",
        event_name_en="2026 Hunan Provincial Vocational Skills Competition",
        contestant_name="张三丰",
        delegation="长沙市代表队",
        trade="焊接",
        award_text="一等奖",
        award_text_en="First Prize",
        date_text="2026年11月25日",
        organizer="湖南省人力资源和社会保障厅",
        verify_url="https://skills.example.cn/verify/HN2026-0012-0001",
    )
    fields.update(overrides)
    return CertificateData(**fields)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("kind", sorted(AWARD_TEXT))
@pytest.mark.parametrize("language", ["zh", "zh_en"])
def test_page_carries_the_certificate_words(layout, kind, language):
    cert = make_cert(kind=kind, award_text=AWARD_TEXT[kind], language=language)
    [text] = pdf_pages(render_one(cert, layout))
    for words in (cert.contestant_name, cert.trade, cert.award_text, cert.number,
                  cert.delegation, cert.event_name, cert.organizer, cert.date_text):
        assert compact(words) in compact(text)
    assert compact(TITLES[kind]) in compact(text)
    if language == "zh_en":
        assert compact(TITLES_EN[kind]).lower() in compact(text).lower()
    else:
        assert "Certificate" not in text


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_font_is_embedded_truetype(layout):
    reader = PdfReader(io.BytesIO(render_one(make_cert(language="zh_en"), layout)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/FontDescriptor"].get_object()["/FontFile2"]


def test_the_shipped_font_is_used():
    assert SHIPPED_FONT.is_file()
    assert (SHIPPED_FONT.parent / "LICENSE-wqy-microhei.txt").is_file()
    assert register_fonts() == register_fonts()


def test_without_the_shipped_font_a_system_truetype_cjk_font_is_found(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "SHIPPED_FONT", tmp_path / "absent.ttc")
    monkeypatch.setattr(fonts, "SYSTEM_FONT_DIR", tmp_path)
    with pytest.raises(FileNotFoundError):
        fonts.font_path()
    (tmp_path / "truetype" / "arphic").mkdir(parents=True)
    (tmp_path / "truetype" / "arphic" / "uming.ttc").touch()
    (tmp_path / "truetype" / "wqy").mkdir()
    (tmp_path / "truetype" / "wqy" / "wqy-zenhei.ttc").touch()
    assert fonts.font_path() == tmp_path / "truetype" / "wqy" / "wqy-zenhei.ttc"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_qr_is_one_vector_path_encoding_the_verify_url(layout):
    cert = make_cert(verify_url="https://skills.example.cn/verify/HN2026-0012-0042")
    reader = PdfReader(io.BytesIO(render_one(cert, layout)))
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    # The QR is drawn in module units under a y-flipping scale, as one run of "re" and one fill.
    [path] = re.findall(r"[\d.]+ 0 0 -[\d.]+ [\d.]+ [\d.]+ cm\s+0 0 0 rg\s+([\d re]+) f\b", content)
    matrix = segno.make(cert.verify_url, error="m", micro=False).matrix
    drawn = [[0] * len(matrix) for _ in matrix]
    for col, row, length in re.findall(r"(\d+) (\d+) (\d+) 1 re", path):
        for c in range(int(col), int(col) + int(length)):
            drawn[int(row)][c] = 1
    assert drawn == [list(row) for row in matrix]


def test_missing_glyphs_finds_rare_characters_only():
    assert missing_glyphs("𠮷") == {"𠮷"}
    assert missing_glyphs("王䶮") == {"䶮"}
    assert missing_glyphs("张三") == set()
    assert missing_glyphs(" 张 三\t\n") == set()
    assert missing_glyphs("买买提·艾力 Zhang San 2026年") == set()


def test_fixed_wording_is_all_in_the_font():
    for kind, award in AWARD_TEXT.items():
        cert = make_cert(kind=kind, award_text=award, language="zh_en")
        words = [run.text for para in body_zh(cert) for run in para.runs]
        words += [run.text for run in body_en(cert).runs]
        words += [TITLES[kind], TITLES_EN[kind], number_label(cert), verify_label(cert)]
        assert missing_glyphs("".join(words)) == set()


def test_check_glyphs_names_the_certificate_and_the_characters():
    certs = [
        make_cert(number="A-1"),
        make_cert(number="A-2", contestant_name="吉𠮷"),
        make_cert(number="A-3", delegation="䶮城"),
    ]
    assert check_glyphs(certs) == [("A-2", "𠮷"), ("A-3", "䶮")]


def test_render_refuses_a_name_the_font_cannot_print():
    with pytest.raises(MissingGlyphs) as refused:
        render_one(make_cert(number="A-2", contestant_name="𠮷野"))
    assert refused.value.problem.params == {"number": "A-2", "chars": "𠮷"}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_background_and_seal_are_embedded_once(layout):
    out = io.BytesIO()
    pages = render_certificates(
        [make_cert(number=f"N-{i}") for i in range(3)], out, layout,
        background=png(60, 42), seal=png(40, 40, seal=True),
    )
    assert pages == 3
    reader = PdfReader(out)
    assert len(images_in(reader.pages[0]["/Resources"])) == 2
    assert len(images_in(reader.trailer["/Root"])) == 2  # one copy each, not one per page
    assert any("/SMask" in image for image in images_in(reader.pages[0]["/Resources"]))


def images_in(node, seen=None) -> list:
    """Every image XObject reachable from ``node`` (pages, forms and their resources), once."""
    seen = {} if seen is None else seen
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if node.get("/Subtype") == "/Image":
            seen[id(node)] = node
            return list(seen.values())
        for key, value in node.items():
            if key not in ("/Parent", "/SMask") and (
                hasattr(value, "get_object") or isinstance(value, (dict, list))
            ):
                images_in(value, seen)
    elif isinstance(node, list):
        for value in node:
            images_in(value, seen)
    return list(seen.values())


def test_a_batch_is_one_page_per_certificate_with_progress():
    seen = []
    out = io.BytesIO()
    certs = (make_cert(number=f"HN2026-0012-{i:04d}") for i in range(1, 51))
    assert render_certificates(certs, out, "modern", progress=seen.append) == 50
    texts = pdf_pages(out.getvalue())
    assert len(texts) == 50
    assert "HN2026-0012-0050" in texts[49]
    assert seen == list(range(1, 51))


def test_no_certificates_writes_nothing():
    out = io.BytesIO()
    assert render_certificates([], out) == 0
    assert out.getvalue() == b""


def test_unknown_layout_and_kind_are_refused():
    with pytest.raises(ValueError, match="layout"):
        render_one(make_cert(), "baroque")
    with pytest.raises(ValueError, match="kind"):
        make_cert(kind="medal")
    with pytest.raises(ValueError, match="language"):
        make_cert(language="en")


LONG = dict(
    contestant_name="买买提·艾力阿不都热合曼阿不力克木" * 2,
    delegation="湖南省株洲市人力资源和社会保障局代表队" * 2,
    trade="工业机器人系统运维与智能制造生产线安装调试" * 2,
    event_name="第二届全国技能大赛湖南省选拔赛暨2026年湖南省职业技能大赛（第一批次）" * 2,
    award_text="湖南省技术能手" * 3,
    organizer="湖南省人力资源和社会保障厅 湖南省总工会 共青团湖南省委员会",
    number="HN2026-0012-0001-EXTRA-LONG-NUMBER",
)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("language", ["zh", "zh_en"])
def test_long_words_shrink_and_stay_on_the_page(layout, language):
    font = register_fonts()
    placed = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            placed.append((tm[4] + cm[4], tm[5] + cm[5], text, font_size))

    pdf = render_one(make_cert(language=language, **LONG), layout)
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert placed
    margin = 20  # the outer border
    for x, y, text, size in placed:
        assert margin <= x and x + stringWidth(text, font, size) <= PAGE_WIDTH - margin, text
        assert margin <= y <= PAGE_HEIGHT - margin, text


def test_fit_and_wrap_never_exceed_the_width():
    font = register_fonts()
    name = "欧阳" * 40
    size, space = fit(name, font, 46, 300)
    assert size < 46 and space == 0
    assert stringWidth(name, font, size) <= 300
    assert fit("张三", font, 46, 300) == (46, 0)
    paras = [Para([Run("代表 "), Run(name, keep=True), Run(" Supercalifragilistic" * 5)], 2)]
    for lines in wrap(paras, font, 20, 250):
        for line in lines:
            assert line.width <= 250
            assert line.pieces


def test_certificate_data_is_frozen():
    cert = make_cert()
    with pytest.raises(AttributeError):
        cert.number = "X"  # type: ignore[misc]
    assert replace(cert, number="X").number == "X"
