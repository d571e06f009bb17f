"""Page chrome: the parts of a scraped page that are not the article.

Scraped news text carries navigation ("top of page", "< Back"), link lists ("Also
read" followed by bullet lines), comment forms ("Leave a Reply" and everything after
it), pop-up text ("This will close in 0 seconds"), share buttons and photo captions
with agency credits.  None of it may become a claim, and none of it should make two
copies of a story look different, so both dedup and claim extraction use this one
definition.

The detector works line by line, in one pass, with anchored patterns only (no
backtracking hazards on hostile input).
"""

from __future__ import annotations

import re

# A whole line that is chrome on its own.
_CHROME_LINE = re.compile(
    r"""^\s*(?:
        top\ of\ page | bottom\ of\ page | <\s*back | back\ to\ top
      | this\ will\ close\ in\ \d+\ seconds?
      | advertisement | sponsored(?:\ content)?
      | share(?:\ this)?(?:\ (?:on|via)\ \w+)? | tweet | email | print
      | (?:read|see)\ (?:more|also)\b.{0,80}
      | click\ here\b.{0,120}
      | subscribe\b.{0,120}
      | sign\ up\b.{0,120}
      | follow\ us\b.{0,120}
      | (?:photo|image|video)(?:\ credit)?:.{0,200}
      | related(?:\ (?:posts|articles|stories|news))?
      | comments?
    )\s*[:.]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# A header that starts a block of link bullets ("Also read", "More from ...").
_LINK_LIST_HEADER = re.compile(
    r"^\s*(?:also\ read|read\ also|more\ from\b.{0,60}|related(?:\ (?:posts|articles|stories|news))?"
    r"|you\ may\ also\ like|recommended(?:\ stories)?|trending(?:\ now)?)\s*:?\s*$",
    re.IGNORECASE | re.VERBOSE,
)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25cf]|\d{1,2}[.)])\s+\S")

# A header after which the rest of the page is comments or footer.
_TAIL_HEADER = re.compile(
    r"^\s*(?:leave\ a\ (?:reply|comment)|post\ a\ comment|comments\ are\ closed"
    r"|your\ email\ address\ will\ not\ be\ published\b.{0,80})\s*\.?\s*$",
    re.IGNORECASE | re.VERBOSE,
)

# Photo captions: a line that ends with an agency credit in parentheses.
_CAPTION_CREDIT = re.compile(
    r"\((?:[^()\n]{0,80}/)?[^()\n]{0,60}\b(?:getty\ images|afp|ap\ photo|reuters|epa|shutterstock"
    r"|photo|file\ photo|handout)\b[^()\n]{0,40}\)\s*$",
    re.IGNORECASE | re.VERBOSE,
)


def chrome_line_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the lines of ``text`` that are page chrome.

    Spans cover a line's characters without its newline.  A caption line is one that
    ends with an agency credit; the same line repeated just before it (pages often
    print the caption twice, once as alt text) is chrome too.
    """
    spans: list[tuple[int, int]] = []
    marked: set[tuple[int, int]] = set()  # membership in O(1): pages repeat lines thousands of times
    pos = 0
    in_link_list = False
    prev_line: str | None = None
    prev_span: tuple[int, int] | None = None
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            in_link_list = False
            continue
        if _TAIL_HEADER.match(stripped):
            spans.append((start, len(text)))
            return spans
        if in_link_list and _BULLET.match(stripped):
            spans.append((start, end))
            continue
        in_link_list = False
        if _LINK_LIST_HEADER.match(stripped):
            in_link_list = True
            spans.append((start, end))
        elif _CHROME_LINE.match(stripped):
            spans.append((start, end))
        elif prev_line is not None and prev_span is not None and stripped == prev_line:
            # A line printed twice in a row is a caption (once as alt text, once visible).
            if prev_span not in marked:
                spans.append(prev_span)
                marked.add(prev_span)
            spans.append((start, end))
            marked.add((start, end))
        elif len(stripped) < 600 and _CAPTION_CREDIT.search(stripped):
            spans.append((start, end))
            # The caption printed twice: the earlier copy lacks the credit.
            if (
                prev_line is not None
                and prev_span is not None
                and stripped.startswith(prev_line)
                and prev_span not in marked
            ):
                spans.insert(len(spans) - 1, prev_span)
                marked.add(prev_span)
        prev_line, prev_span = stripped, (start, end)
    return spans


def strip_chrome(text: str) -> str:
    """``text`` with its chrome lines removed (other lines kept, in order)."""
    spans = chrome_line_spans(text)
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        last = end
    out.append(text[last:])
    return "".join(out)
