"""Turn the site model into Markdown pages: plain data in, {path: text} out, no MkDocs here.

Every page is a Jinja2 template in `templates/`. Text from plan files reaches the page only
through Jinja's autoescaping, inside HTML blocks, so the Markdown parser never reads it as
Markdown: `*`, `#`, `|`, `<script>`, `{{ }}`, `--8<--` all show as the characters they are.
Page metadata (title, description, JSON-LD) travels beside the text as Python data, never as front
matter text that the engine would parse again; titles are escaped HTML, because themes print them
unescaped.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..domain.budgets import plan_summary, year_summary
from ..domain.catalogue import SOURCE_LABELS, Circular, Criterion
from ..domain.district import district_year, district_years, weak_criteria
from ..domain.history import parts
from ..domain.model import NOT_STATED, Plan, School, Site, TableRow, YearEntry, budget_in, natural_key
from ..domain.money import format_vnd
from ..domain.summary import plan_summary_text, school_year_results, school_year_summary
from ..domain.years import SchoolYear
from ..outputs.opendata import DEFAULT_LICENCE, school_archive
from ..reading.schema import CELL_FIELDS, LEVEL_LABELS, Block, Level
from . import urls
from .charts import bar_chart, budget_chart, years_chart
from .render_cache import RenderCache
from .template_cache import COMPILED

TEMPLATES = Path(__file__).parent / "templates"
CRITERION_PAGE_SIZE = 100  # entries a criterion page lists, one line each: lighter than 20 entries in full were
LATEST_PLANS = 10
# Where a plan page's PDF link goes (outputs/pdf.py): the PDF's key is of the page without the link, which
# states the PDF's size, so the link is put in after. Plan text is escaped: it can never hold this comment.
PDF_SLOT = "<!-- qip-pdf -->\n"
# Where a plan page states its school's data zip's size: the zip holds every plan of the school, so the size
# changes with any of them, and is put in after the PDF's key is taken (a PDF is not printed again for it).
DATA_SIZE_SLOT = "<!-- qip-data-size -->"


@dataclass
class Page:
    """One generated page: where it goes, its Markdown, and the plan file it comes from."""

    path: str  # "truong/mn-thuy-tien/index.md"
    text: str  # one HTML block: no front matter, nothing the engine reads as metadata
    source: str | None = None  # "plans/mn-thuy-tien/school.yml", for the edit link
    meta: dict[str, Any] = field(default_factory=dict)  # title, description, share, jsonld, hide


@dataclass
class CriterionEntry:
    """A row of some plan, filed under a catalogue criterion."""

    plan: Plan
    row: TableRow


def paragraphs(items: Iterable[str], tag: str = "p") -> Markup:
    """Paragraphs as HTML, escaped; a line break inside a paragraph stays a line break."""
    out = []
    for item in items:
        text = escape(item.strip()).replace("\n", Markup("<br>"))
        out.append(Markup(f"<{tag}>{text}</{tag}>"))
    return Markup("").join(out)


def page_meta(jsonld: dict | None = None, **values: Any) -> dict:
    """A page's metadata as Python data, handed to the theme as it is: never text parsed again.

    `title` and `description` are escaped HTML, because themes print them unescaped. `share`
    holds the same texts plain, and `jsonld` the page's schema.org data: the theme override
    (overrides/main.html) writes them escaped for attributes and as JSON for scripts.
    """
    meta: dict[str, Any] = {}
    for key, value in values.items():
        meta[key] = str(escape(value)) if isinstance(value, str) else value
    meta["share"] = {key: _plain(values[key]) for key in ("title", "description") if key in values}
    if jsonld:
        meta["jsonld"] = jsonld
    return meta


def _plain(value: Any) -> str:
    return value.unescape() if isinstance(value, Markup) else str(value)


def plan_jsonld(plan: Plan, url: str) -> dict:
    """schema.org data of a plan page: a document by a school, in Vietnamese, over school years."""
    data = {
        "@context": "https://schema.org", "@type": "DigitalDocument", "name": plan.title,
        "inLanguage": "vi", "url": url, "about": "Kế hoạch cải tiến chất lượng giáo dục",
        "temporalCoverage": f"{plan.period.first.start}/{plan.period.last.start + 1}",
        "author": school_jsonld(plan.school, urls.school(plan.school.slug)),
    }
    if plan.number:
        data["identifier"] = plan.number
    if plan.date:
        data["dateCreated"] = plan.date.isoformat()
    if plan.published:
        data["datePublished"] = plan.published.isoformat()
    if plan.last_updated:
        data["dateModified"] = plan.last_updated.isoformat()
    if plan.original:
        data["encoding"] = {"@type": "MediaObject",
                            "contentUrl": urls.original(plan.school.slug, plan.slug, plan.original.suffix),
                            "contentSize": str(plan.original.size)}
    return data


def school_jsonld(school: School, url: str) -> dict:
    data = {"@context": "https://schema.org", "@type": "EducationalOrganization", "name": school.name, "url": url}
    place = school.place
    address = {k: v for k, v in (("addressRegion", place.province), ("addressLocality", place.as_written)) if v}
    if address:
        data["address"] = {"@type": "PostalAddress", "addressCountry": "VN", **address}
    return data


def filesize(size: int) -> str:
    """1234567 -> "1,2 MB", written the Vietnamese way (Babel's vi locale)."""
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{format_decimal(size / scale, format='#,##0.#', locale='vi')} {unit}"
    return f"{size} byte"


@functools.cache
def _environment() -> Environment:
    """The pages' templates, compiled once per process (a preview rebuilds with the same ones;
    Jinja reloads a template whose file changed)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["vnd"] = format_vnd
    env.filters["budget_in"] = budget_in
    env.filters["filesize"] = filesize
    env.globals.update(
        NOT_STATED=NOT_STATED, CELL_FIELDS=CELL_FIELDS, SOURCE_LABELS=SOURCE_LABELS,
        is_block=lambda item: isinstance(item, Block),
        budget_chart=budget_chart, years_chart=years_chart,
    )
    return env


class Renderer:
    """Renders every page of a site. Holds only the site and the template environment."""

    def __init__(self, site: Site, site_name: str = "Kế hoạch cải tiến chất lượng giáo dục",
                 outputs: Mapping[str, bool] | None = None, site_url: str = "",
                 pdf: Callable[[Plan, str], Any] | None = None, licence: str = DEFAULT_LICENCE,
                 cache: RenderCache | None = None, beside: Callable[[Callable[[], Any]], Any] | None = None):
        self.site = site
        self.cache = cache  # a school's own pages kept between builds (render_cache.py); None: rendered each time
        # Runs work in a second process (outputs/background.start: a handle whose wait() gives the result);
        # None: every school is rendered here.
        self.beside = beside
        self.licence = licence  # the open data's: in each school's data zip, whose size the pages state
        self.pdf = pdf  # a plan's PDF (outputs/pdf.PdfPlans.find) from its page without the link; None: no link
        self.site_url = site_url  # the site's public address, printed under a plan (empty: site-relative paths)
        self.site_name = site_name
        self.outputs = {"search": True, "feed": True, "open_data": True, **(outputs or {})}  # what pages may link to
        self.env = _environment()
        self._entries: dict[str, dict[str, list[CriterionEntry]]] = {}
        self._sizes: dict[str, int | None] = {}  # each school's data zip size, by its file (`_data_size`)

    def _render(self, template: str, url: str, source: str | None = None, **context: Any) -> Page:
        def link(target: str) -> str:
            return urls.relative(url, target)

        meta: dict[str, Any] = {}

        def set_meta(**values: Any) -> str:
            # Called once by each template; the metadata travels beside the text, as data.
            meta.update(page_meta(**values))
            return ""

        text = self.env.get_template(template).render(
            link=link, urls=urls, site=self.site, site_name=self.site_name, outputs=self.outputs, page_meta=set_meta,
            page_url=url, site_url=self.site_url,
            **context
        ).lstrip("\n")
        if not text.startswith("<") or not meta.get("title"):
            # An engine reads a page that starts "---" or "key: value" as metadata: the body is HTML.
            raise ValueError(f"template {template} must set page_meta and start with an HTML element")
        return Page(urls.source_path(url), text, source, meta)

    # The pages, one method each; `pages()` lists them all.

    def pages(self) -> list[Page]:
        out = [self.home(), self.schools(), self.years(), self.circulars()]
        out.extend(page for pages in self.school_pages(self.site.schools) for page in pages)
        out.extend(self.year(year) for year in self.site.years)
        out.extend(self.year_budget(year) for year in self.site.years)
        out.extend(self.district(year) for year in district_years(self.site))
        if self.outputs["open_data"] and self.site.schools:  # drawn from the open data's per-school files
            out.append(self._render("compare.md.j2", urls.COMPARE))
        for circular in self.site.circulars:
            out.append(self.circular(circular))
            entries = self.criterion_entries(circular)
            for criterion in circular.criteria.values():
                out.extend(self.criterion(circular, criterion, entries.get(criterion.code, [])))
        return out

    def home(self) -> Page:
        dated = sorted(self.site.plans, key=lambda p: (p.date is None, -(p.date.toordinal() if p.date else 0), p.file))
        return self._render(
            "home.md.j2", urls.HOME, latest=dated[:LATEST_PLANS], by_level=self._by_level(self.site.schools)
        )

    def schools(self) -> Page:
        groups = []
        for level, schools in self._by_level(self.site.schools):
            by_place = sorted(schools, key=lambda s: (natural_key(_place_key(s)), s.sort_key))
            places = [(place, list(items)) for place, items in groupby(by_place, key=_place_key)]
            groups.append((level, places))
        return self._render("schools.md.j2", urls.SCHOOLS, groups=groups)

    def school(self, school: School) -> Page:
        url = urls.school(school.slug)
        return self._render("school.md.j2", url, school.file, school=school, jsonld=school_jsonld(school, url),
                            data_size=self._data_size(school))

    def school_year(self, school: School, year: SchoolYear) -> Page:
        plans = [(plan, _by_standard(plan.year_entries(year)), year_summary(plan, year))
                 for plan in school.plans_for(year)]
        return self._render(
            "school_year.md.j2", urls.school_year(school.slug, year), plans[0][0].file if plans else school.file,
            school=school, year=year, plans=plans, summary=school_year_summary(school, year),
            results=school_year_results(school, year),
        )

    def school_pages(self, schools: list[School]) -> list[list[Page]]:
        """Each school's own pages (school, school years, plans, version comparisons), in order: from the
        render cache when nothing they show changed (site/render_cache.py), else rendered and stored there;
        with `beside`, the schools to render are shared with a second process (every other one), which sends
        their pages back as data. A plan page is stored with its PDF and data-size slots, filled after
        either way (`_fill`)."""
        settings = self._settings() if self.cache is not None else None
        keys = [self.cache.key(school, settings) if self.cache is not None else "" for school in schools]
        raw: list[list[tuple[Page, str | None]] | None] = []
        for school, key in zip(schools, keys):
            stored = self.cache.get(key) if self.cache is not None else None
            files = {plan.file for plan in school.plans}
            if stored is not None and all(entry.get("plan") in (None, *files) for entry in stored):
                raw.append([(Page(entry["path"], entry["text"], entry["source"], entry["meta"]), entry.get("plan"))
                            for entry in stored])
            else:
                raw.append(None)
        todo = [n for n, pages in enumerate(raw) if pages is None]
        theirs = todo[1::2] if self.beside is not None and len(todo) > 1 else []
        running = self.beside(lambda: ([self._render_school(schools[n]) for n in theirs], self._sizes)) if theirs else None
        try:
            for n in todo[::2] if theirs else todo:
                raw[n] = self._render_school(schools[n])
        except BaseException:
            if running is not None:
                running.cancel()  # nobody will read what it renders
            raise
        if running is not None:
            rendered_there, sizes = running.wait()
            for n, pages in zip(theirs, rendered_there):
                raw[n] = pages
            self._sizes.update(sizes)  # the zips it made for the school pages: not made again for the plan pages
        out, rendered = [], set(todo)
        for n, school in enumerate(schools):
            pages = raw[n] or []
            if self.cache is not None and n in rendered:
                self.cache.put(keys[n], [{"path": page.path, "text": page.text, "source": page.source,
                                          "meta": page.meta, "plan": plan} for page, plan in pages])
            by_file = {plan.file: plan for plan in school.plans}
            out.append([self._fill(by_file[plan], page) if plan else page for page, plan in pages])
        return out

    def _render_school(self, school: School) -> list[tuple[Page, str | None]]:
        """A school's own pages as rendered, each with the file of the plan whose slots it still has."""
        return [(self.school(school), None), *((self.school_year(school, year), None) for year in school.years),
                *((self._plan_page(plan), plan.file) for plan in school.plans),
                *((self.plan_versions(plan), None) for plan in school.plans if _compared(plan))]

    def _settings(self) -> dict[str, Any]:
        """What a school's pages depend on besides the school and the package (the render cache's key)."""
        member = urls.member()
        return {"outputs": self.outputs, "site_url": self.site_url, "site_name": self.site_name,
                "licence": self.licence, "member": dataclasses.asdict(member) if member else None,
                "pdf": self.pdf is not None}

    def plan(self, plan: Plan) -> Page:
        return self._fill(plan, self._plan_page(plan))

    def _plan_page(self, plan: Plan) -> Page:
        """A plan's page with its slots (PDF link, data zip's size) still in place."""
        url = urls.plan(plan.school.slug, plan.slug)
        address = self.site_url.rstrip("/") + "/" + url if self.site_url else "/" + url
        return self._render("plan.md.j2", url, plan.file, plan=plan, jsonld=plan_jsonld(plan, url),
                            address=address, compare=urls.plan_versions(plan.school.slug, plan.slug) if _compared(plan) else None,
                            money=plan_summary(plan), summary=plan_summary_text(plan),
                            pdf_slot=Markup(PDF_SLOT) if self.pdf else "", data_size=Markup(DATA_SIZE_SLOT))

    def _fill(self, plan: Plan, page: Page) -> Page:
        """A plan page with its slots filled: the PDF link (its key is of the text without it) and the data
        zip's size (after the PDF's key: a PDF is not printed again for it). A new Page: a cached one stays."""
        text = page.text
        if self.pdf is not None:
            before, slot, after = text.partition(PDF_SLOT)
            found = self.pdf(plan, before + after)
            link = str(self.env.get_template("_pdf.j2").module.pdf_link(found)) + "\n" if found and slot else ""
            text = before + link + after
        if DATA_SIZE_SLOT in text:
            text = text.replace(DATA_SIZE_SLOT, filesize(self._data_size(plan.school) or 0), 1)
        return dataclasses.replace(page, text=text)

    def _data_size(self, school: School) -> int | None:
        """The size of the school's data zip (outputs/opendata.py), None when the site publishes none."""
        if not (self.outputs["open_data"] and school.plans):
            return None
        if school.file not in self._sizes:
            self._sizes[school.file] = len(school_archive(school, self.licence, self.site_url))
        return self._sizes[school.file]

    def plan_versions(self, plan: Plan) -> Page:
        """Any two versions of an amended plan compared in the browser, from the versions as JSON data."""
        versions = plan.history.versions if plan.history else []
        data = [{"date": f"{v.date:%d/%m/%Y}", "faulty": v.faulty, "parts": parts(v.data)} for v in versions]
        # JSON in an attribute, escaped by the template; a backtick as \u0060, so that the page stays one plain
        # HTML block (rawhtml's fast way).
        data = json.dumps(data, ensure_ascii=True).replace("`", "\\u0060")
        return self._render("plan_versions.md.j2", urls.plan_versions(plan.school.slug, plan.slug), plan.file,
                            plan=plan, versions=versions, data=data)

    def years(self) -> Page:
        counts = {year: sum(1 for s in self.site.schools if year in s.years) for year in self.site.years}
        return self._render("years.md.j2", urls.YEARS, counts=counts, district_years=district_years(self.site))

    def year(self, year: SchoolYear) -> Page:
        schools = [s for s in self.site.schools if year in s.years]
        return self._render("year.md.j2", urls.year(year), year=year, by_level=self._by_level(schools))

    def year_budget(self, year: SchoolYear) -> Page:
        """The whole site's money for one school year: one row per plan in force that year."""
        rows = [(school, plan, year_summary(plan, year))
                for school in sorted(self.site.schools, key=lambda s: s.sort_key) for plan in school.plans_for(year)]
        total = sum(money.total for _, _, money in rows)
        return self._render("year_budget.md.j2", urls.year_budget(year), year=year, rows=rows, total=total)

    def district(self, year: SchoolYear) -> Page:
        """Every school of the site for one school year: published its plan, or not and for how long."""
        return self._render("district.md.j2", urls.district(year), view=district_year(self.site, year))

    def circulars(self) -> Page:
        counts = {c.slug: self.criterion_entries(c) for c in self.site.circulars}
        weak = []
        for circular in self.site.circulars:
            schools, ranked = weak_criteria(self.site, circular)
            if ranked:
                chart = bar_chart(f"qip-weak-{circular.slug}",
                                  f"Biểu đồ số trường lên kế hoạch cải tiến theo tiêu chí, {circular.short_title}; "
                                  "số liệu ở bảng dưới biểu đồ",
                                  [(f"Tiêu chí {c.code}", n, f"{n}/{schools} trường") for c, n in ranked])
                weak.append((circular, schools, ranked, chart))
        return self._render("circulars.md.j2", urls.CRITERIA, counts=counts, weak=weak)

    def circular(self, circular: Circular) -> Page:
        return self._render(
            "circular.md.j2", urls.circular(circular.slug), circular=circular,
            entries=self.criterion_entries(circular),
        )

    def criterion(self, circular: Circular, criterion: Criterion, entries: list[CriterionEntry]) -> list[Page]:
        # Long lists are split into pages of CRITERION_PAGE_SIZE so no page grows with the site.
        chunks = [entries[i:i + CRITERION_PAGE_SIZE] for i in range(0, len(entries), CRITERION_PAGE_SIZE)] or [[]]
        return [
            self._render(
                "criterion.md.j2", urls.criterion(circular.slug, criterion.code, number), circular=circular,
                criterion=criterion, entries=chunk, page=number, pages=len(chunks), total=len(entries),
            )
            for number, chunk in enumerate(chunks, start=1)
        ]

    def criterion_entries(self, circular: Circular) -> dict[str, list[CriterionEntry]]:
        # Three page types need these lists: gather them once per circular.
        if circular.slug not in self._entries:
            self._entries[circular.slug] = self._gather_entries(circular)
        return self._entries[circular.slug]

    def _gather_entries(self, circular: Circular) -> dict[str, list[CriterionEntry]]:
        found: dict[str, list[CriterionEntry]] = {}
        for school in sorted(self.site.schools, key=lambda s: s.sort_key):
            if school.circular.slug != circular.slug:
                continue
            # Superseded and withdrawn plans keep their pages but no longer speak for a criterion.
            for plan in sorted(school.active_plans, key=lambda p: p.period.first):
                for row in plan.rows():
                    if row.criterion is not None:
                        found.setdefault(row.criterion.code, []).append(CriterionEntry(plan, row))
        return found

    @staticmethod
    def _by_level(schools: Iterable[School]) -> list[tuple[Level, list[School]]]:
        order = list(LEVEL_LABELS)
        ordered = sorted(schools, key=lambda s: (order.index(s.level), s.sort_key))
        return [(level, list(items)) for level, items in groupby(ordered, key=lambda s: s.level)]


def _compared(plan: Plan) -> bool:
    """A plan with two versions or more has a page comparing them."""
    return bool(plan.history and len(plan.history.versions) > 1)


def _place_key(school: School) -> str:
    place = school.place
    parts = [p for p in (place.province, place.as_written) if p]
    if len(parts) == 2 and parts[0].casefold() == parts[1].casefold():
        parts = parts[:1]  # "tỉnh Điện Biên" as written is the province itself: name it once
    return " – ".join(parts) or "Chưa rõ địa danh"


def _by_standard(entries: list[YearEntry]) -> list[tuple[Any, list[YearEntry]]]:
    """Group a year's entries under their standard (or area) heading, in document order."""
    groups: list[tuple[Any, list[YearEntry]]] = []
    for entry in entries:
        standard = entry.row.standard
        if groups and groups[-1][0] is standard:
            groups[-1][1].append(entry)
        else:
            groups.append((standard, [entry]))
    return groups


def render_site(site: Site, outputs: Mapping[str, bool] | None = None, site_url: str = "",
                pdf: Callable[[Plan, str], Any] | None = None, licence: str = DEFAULT_LICENCE,
                cache: RenderCache | None = None, beside: Callable[[Callable[[], Any]], Any] | None = None) -> list[Page]:
    return Renderer(site, outputs=outputs, site_url=site_url, pdf=pdf, licence=licence, cache=cache,
                    beside=beside).pages()
