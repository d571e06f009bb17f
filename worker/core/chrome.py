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


# A dateline or timestamp and nothing else ("Tuesday, May 24, 2005", "21 July 2013 Last
# updated at 11: 11 GMT", "Posted at 3: 21 PM ET, 01 / 5 / 2011", "APR 28").
_STAMP_WORD = re.compile(
    r"""^(?:\d+(?:st|nd|rd|th|am|pm)?
      | jan(?:uary)? | feb(?:ruary)? | mar(?:ch)? | apr(?:il)? | may | june? | july? | aug(?:ust)?
      | sep(?:t|tember)? | oct(?:ober)? | nov(?:ember)? | dec(?:ember)?
      | mon(?:day)? | tue(?:s|sday)? | wed(?:nesday)? | thu(?:rs|rsday)? | fri(?:day)?
      | sat(?:urday)? | sun(?:day)? | today | yesterday
      | updated? | posted | published | last | modified | article | at | on | by | of | and
      | a\.?m | p\.?m | a | p | m | gmt | utc | bst | cet | et | est | edt | cst | cdt | pst | pdt)$""",
    re.IGNORECASE | re.VERBOSE,
)
_WORDS = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z]+)*")


def is_stamp(line: str) -> bool:
    """Whether ``line`` is only a dateline or timestamp: a date says when, not what."""
    words = _WORDS.findall(line)
    return bool(words) and all(_STAMP_WORD.match(w) for w in words)


def headline(title: str, body: str) -> str:
    """What the article says it is about: its title, unless the title is only a
    dateline (:func:`is_stamp`, as scraped blogs give), in which case the body's first
    line that is neither a stamp nor chrome, when there is one."""
    if not is_stamp(title):
        return title
    for line in body.splitlines():
        text = line.strip()
        if text and not is_stamp(text) and text != title.strip():
            return text
    return title
