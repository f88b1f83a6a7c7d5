"""PDF rendering through WeasyPrint, with a URL fetcher that reads only allowed folders from disk.

Chinese needs a CJK font (Noto Sans CJK SC from Debian's fonts-noto-cjk, or equal) and HarfBuzz's
subsetter (libharfbuzz-subset0): without it WeasyPrint falls back to a subsetter about 25 times slower
on a Chinese page. ``environment_problems()`` says what is missing, in Chinese.
"""

import ctypes.util
import functools
import mimetypes
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask_babel import gettext as _

CJK_FONT_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")


class RestrictedURLFetcherError(ValueError):
    """A resource outside the allowed folders was asked for; WeasyPrint skips it."""


def make_url_fetcher(allowed_roots: list[str | Path]):
    """A WeasyPrint URL fetcher that serves only ``file://`` paths inside ``allowed_roots``.

    Anything else (http(s), ftp, data:, file:// outside the roots, '..' escapes) raises
    RestrictedURLFetcherError, which WeasyPrint logs and skips: nothing is fetched.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [Path(r).resolve() for r in allowed_roots]

    class _Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise RestrictedURLFetcherError(f"blocked: {url[:80]}")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
                raise RestrictedURLFetcherError(f"blocked: {url[:80]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return _Fetcher()


def render_pdf(html: str, *, base_dir: str | Path, allowed_roots: list[str | Path]) -> bytes:
    """Render ``html`` to PDF bytes; relative URLs resolve against ``base_dir`` (which must be allowed)."""
    from weasyprint import HTML

    fetcher = make_url_fetcher(allowed_roots)
    base_url = Path(base_dir).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


@functools.cache
def cjk_font_available() -> bool:
    """True if fontconfig knows a Simplified Chinese font of CJK_FONT_FAMILIES."""
    if not shutil.which("fc-list"):
        return False
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(fam in out for fam in CJK_FONT_FAMILIES)


@functools.cache
def harfbuzz_subset_available() -> bool:
    """True if libharfbuzz-subset can be loaded (WeasyPrint's fast font subsetting)."""
    name = ctypes.util.find_library("harfbuzz-subset")
    if not name:
        return False
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def environment_problems() -> list[str]:
    """What the machine lacks for good Chinese PDFs, as sentences in the reader's language (Chinese in logs
    and the CLI; empty when all is well)."""
    problems = []
    if not cjk_font_available():
        problems.append(_("未找到中文字体（Noto Sans CJK SC）：PDF 中的中文将显示为方框。"
                          "请安装：apt-get install fonts-noto-cjk"))
    if not harfbuzz_subset_available():
        problems.append(_("缺少 HarfBuzz 字体子集库：生成中文 PDF 会慢约 25 倍。"
                          "请安装：apt-get install libharfbuzz-subset0"))
    return problems
