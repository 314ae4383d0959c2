"""Read-side helpers: region search for pickers, lookups and counts."""

from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from simpul.regions import codes
from simpul.regions.models import Region
from simpul.regions.text import NAME_PREFIXES, compact_text, search_text

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100

# Province before village among equally good matches.
_LEVEL_RANK = Case(
    *(When(level=level, then=Value(rank)) for rank, level in enumerate(codes.LEVELS)),
    default=Value(len(codes.LEVELS)),
    output_field=IntegerField(),
)


def search_regions(
    text: str,
    *,
    levels: Iterable[str] | None = None,
    within: str | None = None,
    limit: int = 20,
) -> list[Region]:
    """Regions matching `text`, best first; [] for blank text.

    Text made of digits and dots is a code prefix ("61.01.09", or undotted "610109");
    anything else is a list of words that must all occur in the name, where spaces and
    punctuation in the name are ignored ("Tanjungpinang" finds "Kota Tanjung Pinang").
    Order: exact name (or code) match, then names starting with the text, then higher
    levels first, then code.

    `levels` restricts to those level values (None or empty: all levels); `within` restricts
    to a region code and everything below it. ValueError for an unknown level or a malformed
    `within` code.
    """
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    prefix = codes.code_prefix(text)
    ranked = (
        _by_code(Region.objects.all(), prefix)
        if prefix is not None
        else _by_name(Region.objects.all(), text)
    )
    if ranked is None:
        return []
    # Restrictions come last in the WHERE clause: SQLite then tests the cheap, selective name
    # condition first on each row.
    return list(_restricted(ranked, levels, within)[:limit])


def _restricted(
    regions: QuerySet[Region], levels: Iterable[str] | None, within: str | None
) -> QuerySet[Region]:
    wanted = list(levels) if levels is not None else []
    if wanted:
        unknown = set(wanted) - set(codes.LEVELS)
        if unknown:
            raise ValueError(f"unknown region level(s): {', '.join(sorted(unknown))}")
        if codes.VILLAGE in wanted:
            # Villages are 91% of the rows. On level itself SQLite walks the (level,
            # search_name) index and fetches nearly every row through it, several times
            # slower than the plain table scan this unindexable expression gets.
            ranks = sorted({codes.level_rank(level) for level in wanted})
            regions = regions.alias(level_rank=_LEVEL_RANK).filter(level_rank__in=ranks)
        else:
            regions = regions.filter(level__in=wanted)
    if within:
        within_code = codes.normalize_code(within)
        if within_code is None:
            raise ValueError(f"not a region code: {within!r}")
        regions = regions.filter(Region.subtree_filter("code", within_code))
    return regions


def _by_code(regions: QuerySet[Region], prefix: str) -> QuerySet[Region]:
    return (
        regions.filter(code__startswith=prefix)
        .annotate(
            match_rank=Case(
                When(code=prefix, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            level_rank=_LEVEL_RANK,
        )
        .order_by("match_rank", "level_rank", "code")
    )


def _by_name(regions: QuerySet[Region], text: str) -> QuerySet[Region] | None:
    normalized = search_text(text)
    compact = compact_text(normalized)
    words = normalized.split()
    if not words:
        return None

    # The stored values are already lowercase, so plain (case-sensitive) LIKE is enough; it
    # also lets PostgreSQL use the varchar_pattern_ops index Django adds for startswith.
    for word in words:
        word_compact = compact_text(word)
        if word_compact:
            # A word found in search_name is always found in search_compact as well.
            regions = regions.filter(search_compact__contains=word_compact)
        else:
            regions = regions.filter(search_name__contains=word)

    exact = Q(search_name=normalized)
    starts = Q(search_name__startswith=normalized)
    if compact:
        exact |= Q(search_compact=compact)
        starts |= Q(search_compact__startswith=compact)
        # "Sambas" means "Kabupaten Sambas"; only regencies and cities carry these words.
        prefixed = [prefix + compact for prefix in NAME_PREFIXES]
        exact |= Q(level=codes.REGENCY, search_compact__in=prefixed)
        for value in prefixed:
            starts |= Q(level=codes.REGENCY, search_compact__startswith=value)

    return regions.annotate(
        match_rank=Case(
            When(exact, then=Value(0)),
            When(starts, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        level_rank=_LEVEL_RANK,
    ).order_by("match_rank", "level_rank", "code")


def get_region(code: str) -> Region | None:
    """The region with this code (dotted or undotted digits), or None."""
    normalized = codes.normalize_code(code)
    if normalized is None:
        return None
    return Region.objects.filter(code=normalized).first()


def region_counts(vintage: str | None = None) -> dict[str, int]:
    """Stored regions per level, every level present, province first."""
    regions = Region.objects.all()
    if vintage is not None:
        regions = regions.filter(vintage=vintage)
    found = dict(
        regions.order_by()
        .values_list("level")
        .annotate(total=Count("code"))
        .values_list("level", "total")
    )
    return {level: found.get(level, 0) for level in codes.LEVELS}
