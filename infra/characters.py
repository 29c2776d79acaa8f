"""Which characters readers' text may hold: the one rule for imports and models.

No Django here: the text format (``articles/textformat.py``) and the model
validators (``infra/validators.py``) both use it.

* **Control characters** (C0 and C1, but tab and, in multi-line text, line
  breaks) are refused: a feed cannot carry them in XML, an address cannot
  hold them, and no printed text has them.
* **Format characters** (Unicode category Cf: zero-width spaces, joiners,
  direction marks and overrides) are allowed, since mixed-script text needs
  some, but they count as white space when asking whether a title is empty,
  and are shown escaped in report lines, where a right-to-left override
  would turn the line around.
"""

import re
import unicodedata

# Written as both Python's re and PostgreSQL's regular expressions read them,
# for the database's check constraints too.
CONTROL_IN_LINE = r"[\x00-\x08\x0a-\x1f\x7f-\x9f]"
CONTROL_IN_TEXT = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_IN_LINE = re.compile(CONTROL_IN_LINE)
_IN_TEXT = re.compile(CONTROL_IN_TEXT)
_SHOWN_ESCAPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def first_control_character(text, multiline=False):
    """``(position, character)`` of the first control character in ``text`` (0-based), or None."""
    match = (_IN_TEXT if multiline else _IN_LINE).search(text or "")
    return (match.start(), match.group()) if match else None


def is_blank(text):
    """Empty once white space and format characters (zero-width spaces...) are left out."""
    return not "".join(c for c in str(text or "") if unicodedata.category(c) != "Cf").strip()


def printable(text):
    """``text`` on one line as a terminal shows it: controls, format characters,
    line separators and undecodable bytes escaped (``\\u202e``), the rest as it is."""
    return "".join(
        repr(c)[1:-1] if unicodedata.category(c) in _SHOWN_ESCAPED else c for c in str(text)
    )
