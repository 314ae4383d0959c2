"""Server-rendered SVG charts. No script and no `style` attributes (the CSP forbids inline
styles): only SVG presentation attributes. Every chart has a <title> and <desc>, and the page
shows the same numbers in a table next to it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from simpul.prevention import stats
from simpul.prevention.results import EventResults, QuestionStats
from simpul.prevention.risk import HIGH, LOW, MEDIUM, UNKNOWN, VillageRisk

PRE_COLOUR = "#8a96a3"
POST_COLOUR = "#0b5d4b"
UP_COLOUR = "#1e6b2f"
DOWN_COLOUR = "#a4161a"
SAME_COLOUR = "#6b7785"
INK = "#1b1f24"
GRID = "#c9d1d9"
FONT = "system-ui, sans-serif"
BAND_COLOURS = {HIGH: "#a4161a", MEDIUM: "#c77700", LOW: "#2f7d32", UNKNOWN: "#c9d1d9"}
BAND_LETTERS = {HIGH: "H", MEDIUM: "M", LOW: "L", UNKNOWN: "?"}


def _num(value: float) -> str:
    """A coordinate or number inside SVG markup: always with a decimal point."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shown(value: float) -> str:
    """A number for people to read, in the active language's format."""
    return str(floatformat(value, -1))


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def wilcoxon_parts(result: stats.WilcoxonResult | None) -> tuple[str, str, str]:
    """The test's name, its variant and its outcome."""
    name = _("Wilcoxon signed-rank test")
    if result is None:
        return name, "", _("not computable: no participant changed score")
    variant = (
        _("exact")
        if result.method == stats.EXACT
        else _("normal approximation with tie and continuity correction")
    )
    return name, variant, f"{p_text(result.p_value)}, n = {result.n}"


def wilcoxon_label(result: stats.WilcoxonResult | None) -> str:
    name, variant, outcome = wilcoxon_parts(result)
    return f"{name} ({variant}): {outcome}" if variant else f"{name}: {outcome}"


def mcnemar_label(result: stats.McNemarResult | None) -> str:
    if result is None:
        return "—"
    variant = _("exact") if result.method == stats.EXACT else _("chi-square")
    return f"{p_text(result.p_value)} ({variant})"


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> SafeString:
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-labelledby="{}-t {}-d" class="chart" font-family="{}" font-size="12">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        width,
        height,
        ident,
        ident,
        FONT,
        ident,
        title,
        ident,
        desc,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every part is escaped


def score_slope_chart(results: EventResults) -> SafeString:
    """Each participant's score before and after, joined by a line; the mean in bold."""
    width, height = 560, 400
    left, right, top, bottom = 60, 300, 64, 304
    ident = "scores"

    def y(score: float) -> float:
        return bottom - (bottom - top) * score / 100

    name, variant, outcome = wilcoxon_parts(results.wilcoxon)
    mean_text = ""
    if results.mean_pre is not None and results.mean_post is not None:
        mean_text = _("mean %(before)s%% → %(after)s%%") % {
            "before": _shown(results.mean_pre),
            "after": _shown(results.mean_post),
        }
    body: list[str] = [
        format_html(
            '<text x="10" y="20" font-weight="bold" fill="{}">{}</text>'
            '<text x="10" y="40" fill="{}">{}</text>',
            INK,
            _("Scores of %(n)d participants, before and after") % {"n": results.n_paired},
            INK,
            mean_text,
        )
    ]
    for tick in range(0, 101, 20):
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}%</text>',
                left - 20,
                right + 20,
                _num(y(tick)),
                _num(y(tick)),
                GRID,
                left - 26,
                _num(y(tick) + 4),
                INK,
                tick,
            )
        )
    for x, label in ((left, _("Before")), (right, _("After"))):
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-weight="bold" fill="{}">{}</text>',
                x,
                bottom + 22,
                INK,
                label,
            )
        )
    # Identical pairs share a line; its width grows with how many participants it carries.
    lines: dict[tuple[float, float], int] = defaultdict(int)
    for pair in results.pairs:
        lines[(pair.pre, pair.post)] += 1
    for (pre, post), count in sorted(lines.items()):
        colour = UP_COLOUR if post > pre else DOWN_COLOUR if post < pre else SAME_COLOUR
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="{}" '
                'stroke-opacity="0.55"/>',
                left,
                right,
                _num(y(pre)),
                _num(y(post)),
                colour,
                min(1 + count, 8),
            )
        )
    if results.mean_pre is not None and results.mean_post is not None:
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="4"/>'
                '<circle cx="{}" cy="{}" r="5" fill="{}"/>'
                '<circle cx="{}" cy="{}" r="5" fill="{}"/>',
                left,
                right,
                _num(y(results.mean_pre)),
                _num(y(results.mean_post)),
                INK,
                left,
                _num(y(results.mean_pre)),
                PRE_COLOUR,
                right,
                _num(y(results.mean_post)),
                POST_COLOUR,
            )
        )
    legend = [
        (INK, _("mean")),
        (UP_COLOUR, _("improved: %(n)d") % {"n": results.improved}),
        (SAME_COLOUR, _("same: %(n)d") % {"n": results.unchanged}),
        (DOWN_COLOUR, _("lower: %(n)d") % {"n": results.worse}),
    ]
    for i, (colour, text) in enumerate(legend):
        body.append(
            format_html(
                '<rect x="{}" y="{}" width="18" height="4" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                right + 40,
                top + 8 + 22 * i,
                colour,
                right + 64,
                top + 13 + 22 * i,
                INK,
                text,
            )
        )
    body.append(
        format_html(
            '<text x="10" y="{}" font-weight="bold" fill="{}">{}</text>'
            '<text x="10" y="{}" fill="{}">{}</text>'
            '<text x="10" y="{}" font-weight="bold" fill="{}">{}</text>',
            bottom + 50,
            INK,
            name,
            bottom + 66,
            INK,
            f"({variant})" if variant else "",
            bottom + 84,
            INK,
            outcome,
        )
    )
    test = wilcoxon_label(results.wilcoxon)
    desc = _(
        "Each line joins one participant's score before and after the session. "
        "Mean before %(before)s%%, after %(after)s%%. %(test)s."
    ) % {
        "before": _shown(results.mean_pre or 0),
        "after": _shown(results.mean_post or 0),
        "test": test,
    }
    return _svg(width, height, _("Scores before and after"), desc, body, ident)


def question_bar_chart(questions: Sequence[QuestionStats]) -> SafeString:
    """Share answering each question correctly, before (grey) and after (green)."""
    row = 34
    left, bar_max, top = 54, 330, 34
    width = left + bar_max + 150
    height = top + row * len(questions) + 30
    ident = "questions"
    body: list[str] = [
        format_html(
            '<text x="10" y="18" font-weight="bold" fill="{}">{}</text>'
            '<rect x="{}" y="8" width="12" height="10" fill="{}"/>'
            '<text x="{}" y="17" fill="{}">{}</text>'
            '<rect x="{}" y="8" width="12" height="10" fill="{}"/>'
            '<text x="{}" y="17" fill="{}">{}</text>',
            INK,
            _("Correct answers per question"),
            left + 170,
            PRE_COLOUR,
            left + 186,
            INK,
            _("before"),
            left + 250,
            POST_COLOUR,
            left + 266,
            INK,
            _("after"),
        )
    ]
    for i, q in enumerate(questions):
        y0 = top + i * row
        pre, post = q.pre_rate or 0.0, q.post_rate or 0.0
        significant = q.mcnemar is not None and q.mcnemar.p_value < 0.05
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">Q{}</text>'
                '<rect x="{}" y="{}" width="{}" height="12" fill="{}"/>'
                '<rect x="{}" y="{}" width="{}" height="12" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}% → {}%</text>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                left - 8,
                y0 + 16,
                INK,
                q.position,
                left,
                y0 + 2,
                _num(bar_max * pre / 100),
                PRE_COLOUR,
                left,
                y0 + 15,
                _num(bar_max * post / 100),
                POST_COLOUR,
                left + bar_max + 8,
                y0 + 12,
                INK,
                _shown(pre),
                _shown(post),
                left + bar_max + 8,
                y0 + 26,
                INK,
                ("* " if significant else "") + mcnemar_label(q.mcnemar),
            )
        )
    body.append(
        format_html(
            '<text x="10" y="{}" fill="{}">{}</text>',
            height - 8,
            INK,
            _("McNemar test per question; * p < 0.05 (not adjusted for multiple tests)"),
        )
    )
    desc = "; ".join(
        f"Q{q.position}: {_shown(q.pre_rate or 0)}% → {_shown(q.post_rate or 0)}%"
        for q in questions
    )
    return _svg(
        width, height, _("Correct answers per question, before and after"), desc, body, ident
    )


def risk_grid(villages: Sequence[VillageRisk]) -> SafeString:
    """Villages as tiles grouped by district; colour = risk band, ring = outreach in 12 months.

    A schematic, not a geographic map: tiles are in code order within each district.
    """
    tile_w, tile_h, gap, per_row = 112, 58, 6, 6
    left, top = 10, 78
    groups: dict[str, list[VillageRisk]] = defaultdict(list)
    names: dict[str, str] = {}
    for v in villages:
        district = v.region.parent_id or ""
        groups[district].append(v)
        if v.district is not None:
            names[district] = v.district.name
    body: list[str] = []
    y = top
    for district in sorted(groups):
        items = sorted(groups[district], key=lambda v: v.region.code)
        body.append(
            format_html(
                '<text x="{}" y="{}" font-weight="bold" fill="{}">{}</text>',
                left,
                y - 6,
                INK,
                names.get(district, district),
            )
        )
        for i, v in enumerate(items):
            x = left + (i % per_row) * (tile_w + gap)
            ty = y + (i // per_row) * (tile_h + gap)
            colour = BAND_COLOURS[v.band]
            text_colour = "#ffffff" if v.band in (HIGH, LOW, MEDIUM) else INK
            reached = v.events_12m > 0
            body.append(
                format_html(
                    "<g><title>{}</title>"
                    '<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" '
                    'stroke="{}" stroke-width="{}"{}/>'
                    '<text x="{}" y="{}" fill="{}" font-weight="bold">{}</text>'
                    '<text x="{}" y="{}" fill="{}">{} {}</text></g>',
                    _("%(name)s: risk %(band)s, %(events)d outreach events in 12 months")
                    % {"name": v.region.name, "band": v.band_label, "events": v.events_12m},
                    x,
                    ty,
                    tile_w,
                    tile_h,
                    colour,
                    INK if reached else "#ffffff",
                    3 if reached else 1,
                    mark_safe(' stroke-dasharray="4 3"') if not reached else "",
                    x + 6,
                    ty + 18,
                    text_colour,
                    v.region.name[:15],
                    x + 6,
                    ty + 38,
                    text_colour,
                    v.band_label if v.band != UNKNOWN else "?",  # a word, never a letter code
                    (_shown(round(v.score)) if v.score is not None else "-")
                    + (
                        " · " + _("%(n)d ev.") % {"n": v.events_12m}
                        if reached
                        else " · " + _("none")
                    ),
                )
            )
        rows = (len(items) + per_row - 1) // per_row
        y += rows * (tile_h + gap) + 30
    width = left + per_row * (tile_w + gap) + 10
    height = y
    legend_items = [
        (BAND_COLOURS[HIGH], _("H high")),
        (BAND_COLOURS[MEDIUM], _("M medium")),
        (BAND_COLOURS[LOW], _("L low")),
        (BAND_COLOURS[UNKNOWN], _("? not enough data")),
    ]
    legend = [
        format_html(
            '<text x="{}" y="16" font-weight="bold" fill="{}">{}</text>',
            left,
            INK,
            _("Schematic, not a map: villages as tiles grouped by district"),
        )
    ]
    for i, (colour, text) in enumerate(legend_items):
        legend.append(
            format_html(
                '<rect x="{}" y="26" width="14" height="14" fill="{}"/>'
                '<text x="{}" y="37" fill="{}">{}</text>',
                left + i * 130,
                colour,
                left + 18 + i * 130,
                INK,
                text,
            )
        )
    legend.append(
        format_html(
            '<text x="{}" y="{}" fill="{}">{}</text>',
            left,
            height - 8,
            INK,
            _("Solid dark border: outreach in the last 12 months. Dashed: none."),
        )
    )
    desc = _("%(n)d villages coloured by risk band.") % {"n": len(villages)}
    return _svg(width, height + 4, _("Village risk and outreach"), desc, legend + body, "riskgrid")
