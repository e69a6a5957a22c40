"""Fonts, colours and paragraph styles shared by every report."""

from __future__ import annotations

from importlib import resources

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from homeassess.domain.priority import Tier

FONT = "HASans"
FONT_BOLD = "HASans-Bold"

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
RULE = colors.HexColor("#CBD2D9")
BAND = colors.HexColor("#0B4F6C")
PALE = colors.HexColor("#F0F4F8")
TIER_COLOURS = {Tier.P1: colors.HexColor("#B91C1C"), Tier.P2: colors.HexColor("#C2410C"),
                Tier.P3: colors.HexColor("#A16207"), Tier.P4: colors.HexColor("#15803D")}
TIER_TINTS = {Tier.P1: colors.HexColor("#FDECEC"), Tier.P2: colors.HexColor("#FEF0E6"),
              Tier.P3: colors.HexColor("#FDF6DC"), Tier.P4: colors.HexColor("#E9F6EC")}


FONT_ITALIC = f"{FONT}-Italic"
FONT_BOLD_ITALIC = f"{FONT}-BoldItalic"
FONT_FACES = (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC)
#: Regular DejaVu Sans as a family of its own: letters the bold and oblique faces lack (most of Arabic) are
#: set upright in it, even inside <b> or <i>.
FONT_UPRIGHT = f"{FONT}-Upright"
#: Noto Emoji (monochrome outlines, OFL): emoji and symbols DejaVu Sans lacks.
FONT_FALLBACK = "HAEmoji"
_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf",
          FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf", FONT_UPRIGHT: "DejaVuSans.ttf",
          FONT_FALLBACK: "NotoEmoji-Regular.ttf"}


def register_fonts() -> None:
    """Register the bundled fonts once: DejaVu Sans (accents, Greek, Cyrillic, Hebrew, Arabic), its upright
    family and the Noto Emoji fallback (homeassess.reports.text picks one per character)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if all(name in registered for name in _FILES):
        return
    fonts = resources.files("homeassess.resources") / "fonts"
    for name, file in _FILES.items():
        with resources.as_file(fonts / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    for single in (FONT_UPRIGHT, FONT_FALLBACK):
        pdfmetrics.registerFontFamily(single, normal=single, bold=single, italic=single, boldItalic=single)


def stylesheet(base_size: float = 10.5) -> dict[str, ParagraphStyle]:
    # Every style inherits from body: a word longer than its column is broken (a 3,000-letter word, a long
    # URL, which breaks early rather than leave most of a line empty). Right-to-left text arrives in display
    # order from homeassess.reports.text.esc, so no style asks ReportLab for bidi (wordWrap) or shaping.
    body = ParagraphStyle("body", fontName=FONT, fontSize=base_size, leading=base_size * 1.4, textColor=INK,
                          alignment=TA_LEFT, spaceAfter=4, splitLongWords=1, uriWasteReduce=0.3,
                          bulletFontName=FONT)   # Helvetica, ReportLab's default, has no ☐ (a box)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=base_size - 2, leading=(base_size - 2) * 1.35,
                                textColor=MUTED, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=base_size - 1.5, leading=(base_size - 1.5) * 1.3,
                               spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=FONT_BOLD, fontSize=base_size - 1.5,
                                    leading=(base_size - 1.5) * 1.3, spaceAfter=0),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=base_size - 2.5,
                                     leading=(base_size - 2.5) * 1.3, textColor=MUTED, spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=24, leading=29,
                                textColor=BAND, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=15, leading=19, textColor=MUTED,
                                   spaceAfter=14),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, textColor=BAND,
                             spaceBefore=14, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16, textColor=INK,
                             spaceBefore=10, spaceAfter=4),
        "rec_title": ParagraphStyle("rec_title", parent=body, fontName=FONT_BOLD, fontSize=base_size + 0.5,
                                    leading=(base_size + 0.5) * 1.35, spaceAfter=2),
        "reason": ParagraphStyle("reason", parent=body, fontName=FONT_ITALIC, textColor=INK, spaceAfter=2),
        "meta": ParagraphStyle("meta", parent=body, fontSize=base_size - 1.5, leading=(base_size - 1.5) * 1.35,
                               textColor=MUTED, spaceAfter=0),
        "band": ParagraphStyle("band", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16,
                               textColor=colors.white, spaceAfter=0),
        "band_note": ParagraphStyle("band_note", parent=body, fontSize=base_size - 1, leading=(base_size - 1) * 1.3,
                                    textColor=colors.white, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=16, bulletIndent=2, spaceAfter=3),
    }
