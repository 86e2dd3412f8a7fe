"""Whether the machine has a font that can draw Chinese text.

Without one, WeasyPrint draws Chinese characters as boxes. The report then says so
once, in its limitations, with the fix (``apt-get install fonts-noto-cjk``), instead of
warning glyph by glyph.

Example:
    >>> isinstance(cjk_font_available(), bool)
    True
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

__all__ = ["CJK_FONT_HINT", "cjk_font_available"]

#: the sentence the report's limitations carry when no CJK font is installed
CJK_FONT_HINT = (
    "No Chinese (CJK) font is installed on the machine that produced this report, so "
    "Chinese text from the data may show as empty boxes; install one (for example "
    "'apt-get install fonts-noto-cjk') and run the audit again."
)

#: font family names that carry Chinese glyphs, used when fontconfig is not available
_CJK_NAMES = (
    "cjk",
    "source han",
    "wenquanyi",
    "simhei",
    "simsun",
    "yahei",
    "pingfang",
    "heiti",
    "songti",
    "noto sans sc",
    "noto serif sc",
    "ar pl",
)


@lru_cache(maxsize=1)
def cjk_font_available() -> bool:
    """Whether a font covering Chinese is installed (asked once per process).

    Asks fontconfig (``fc-list :lang=zh``), which is what WeasyPrint uses; when
    ``fc-list`` is not on PATH, looks through matplotlib's font list for a known CJK
    family instead.

    Returns:
        True when at least one such font is found.
    """
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            found = subprocess.run(
                [fc_list, ":lang=zh", "family"],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            pass
        else:
            if found.returncode == 0:
                return bool(found.stdout.strip())
    from matplotlib import font_manager

    names = {font.name.lower() for font in font_manager.fontManager.ttflist}
    return any(marker in name for name in names for marker in _CJK_NAMES)
