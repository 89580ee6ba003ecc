"""Document photos made at test time: a page of text as a phone sees it,
slightly turned, unevenly lit, a little blurred, on a table."""

import io
import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Debian's DejaVu Sans has the accents Spanish documents need; Pillow's
# built-in font does not.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TABLE = (110, 95, 80)


def page(text: str, font_size: int = 26) -> Image.Image:
    font = ImageFont.truetype(str(FONT), font_size)
    lines = [wrapped for line in text.splitlines() for wrapped in (textwrap.wrap(line, 78) or [""])]
    step = int(font_size * 1.45)
    sheet = Image.new("L", (1275, max(1650, 160 + len(lines) * step)), 250)
    draw = ImageDraw.Draw(sheet)
    for number, line in enumerate(lines):
        draw.text((80, 80 + number * step), line, fill=20, font=font)
    return sheet


def photo(text: str, long_side: int = 2000, seed: int = 1) -> Image.Image:
    chance = random.Random(seed)
    sheet = page(text).convert("RGB")
    scene = Image.new("RGB", (int(sheet.width * 1.15), int(sheet.height * 1.12)), TABLE)
    scene.paste(sheet, ((scene.width - sheet.width) // 2, (scene.height - sheet.height) // 2))
    scene = scene.rotate(chance.uniform(-3, 3), resample=Image.Resampling.BICUBIC, fillcolor=TABLE)
    light = Image.linear_gradient("L").resize(scene.size).point(lambda value: 170 + value * 85 // 255)
    scene = Image.composite(scene, Image.new("RGB", scene.size), light)
    scale = long_side / max(scene.size)
    scene = scene.resize((int(scene.width * scale), int(scene.height * scale)), Image.Resampling.BICUBIC)
    return scene.filter(ImageFilter.GaussianBlur(1.2))


def encoded(image: Image.Image, format_: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_, **({"quality": 85} if format_ == "JPEG" else {}))
    return buffer.getvalue()


def text_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer holds the lines (Helvetica, no images)."""
    lines = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in text.splitlines()]
    stream = "BT /F1 10 Tf 40 800 Td 12 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return _pdf_file(objects)


def _pdf_file(objects: list[str]) -> bytes:
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{content}\nendobj\n".encode("latin-1")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body
