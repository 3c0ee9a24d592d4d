"""An Atom feed of the published plans (`feed.xml`), newest first.

Built with ElementTree, so plan text is always XML text, never markup. An entry's date is the
last commit that changed its plan file, else its date of issue; a plan with neither is left out
rather than given an invented date. Readers poll a feed often and want what is new, so it holds
the newest FEED_ENTRIES plans, not the whole province's (the open data has them all).
An entry's content carries the results the school recorded for the plan's rows, when there are any.
Ids are URNs made from the page's path, not its address: setting or changing `site_url` later
does not make readers show every plan as new again.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from ..domain.model import Plan, Site
from ..site import urls

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50


def atom_feed(site: Site, site_name: str, site_url: str) -> bytes:
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = []
    for plan in site.plans:
        when = plan.history.last_changed if plan.history else None
        if when is None and plan.date is not None:
            when = dt.datetime.combine(plan.date, dt.time(), dt.timezone.utc)
        if when is not None:
            entries.append((when, plan))
    entries.sort(key=lambda item: (item[0], item[1].file), reverse=True)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "vi"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = site_name
    ET.SubElement(feed, f"{{{ATOM}}}id").text = "urn:qip-site:feed.xml"
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base + "feed.xml"})
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(entries[0][0] if entries else dt.datetime(2000, 1, 1))
    for when, plan in entries[:FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{plan.school.name}: {plan.period.kind_name} {plan.period.slug}"
        page = urls.plan(plan.school.slug, plan.slug)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"href": base + page})
        ET.SubElement(entry, f"{{{ATOM}}}id").text = "urn:qip-site:" + page
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(when)
        if plan.published:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = plan.published.isoformat() + "T00:00:00+00:00"
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = plan.school.name
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = plan.title
        results = _results(plan)
        if results:
            ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"}).text = results
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _results(plan: Plan) -> str | None:
    """The plan's recorded results as plain text, one line each after the tally; None when none is recorded."""
    tally = plan.results
    if not tally.recorded:
        return None
    lines = [f"Kết quả thực hiện: {tally.text}"]
    for row in plan.rows():
        result = row.result
        if result is None:
            continue
        line = f"- {row.title or 'Dòng không ghi tiêu chí'}: {result.state.value}"
        if result.date:
            line += f", ngày {result.date:%d/%m/%Y}"
        text = " ".join(p.strip() for p in result.text if p.strip())
        lines.append(line + (f". {text}" if text else "") + (f" (minh chứng: {result.evidence.strip()})"
                                                             if result.evidence else ""))
    return "\n".join(lines)


def _stamp(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.isoformat(timespec="seconds")
