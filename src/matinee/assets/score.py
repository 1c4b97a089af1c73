"""Scoring one artwork candidate: a 0-100 number made of five named parts (DESIGN.md §8).

Resolution 30, aspect ratio 20, language 20, community votes 20, provider 10. A score is a pure
function of the candidate, the policy and (optionally) what the analysis measured on the small
rendition, so a picker can show why an image won. The policy holds every weight-like choice
(language order, provider order, limits, ideal shapes and sizes); its defaults are the ones the
`[assets]` config section overrides. Nothing here does I/O, decodes an image or knows the store.

Numbers (ideal aspect ratio, minimum and ideal size per slot, as `DEFAULT_ASPECTS` and
`DEFAULT_SIZES` declare them):

    slot          aspect      minimum     ideal
    poster        2:3         500x750     1000x1500
    fanart        16:9        1280x720    1920x1080
    banner        1000:185    758x140     1000x185
    clearlogo     800:310     400x155     800x310
    clearart      1000:562    500x281     1000x562
    discart       1:1         500x500     1000x1000
    landscape     16:9        500x281     1000x562
    keyart        2:3         500x750     1000x1500
    thumb         16:9        400x225     1280x720
    characterart  free        256x256     512x512
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from matinee.assets.model import TEXTLESS, AssetCandidate, ImageInfo, ScoreParts

__all__ = [
    "DEFAULT_ASPECTS",
    "DEFAULT_LANGUAGES",
    "DEFAULT_LIMITS",
    "DEFAULT_PROVIDER_ORDER",
    "DEFAULT_SIZES",
    "PREFERRED",
    "AssetPolicy",
    "SlotSize",
    "language_word",
    "pre_score",
    "provider_rank",
    "score",
]

PREFERRED = "preferred"
"""The language-policy word for `AssetPolicy.preferred_language`."""

RESOLUTION_POINTS = 30.0
ASPECT_POINTS = 20.0
LANGUAGE_POINTS = (20.0, 12.0, 6.0)
"""Points by position in a slot's language list; a fourth or later position gets `LATER`."""
LANGUAGE_LATER = 3.0
VOTES_POINTS = 20.0
PROVIDER_POINTS = 10.0

UNKNOWN_RESOLUTION = 15.0
"""Resolution points when the provider declared no size: half marks. The measured size of a
small rendition says nothing about the original's resolution, so it is not used here."""
UNKNOWN_ASPECT = 10.0
"""Aspect points when neither a declared size nor a measured shape is known: half marks."""
RESOLUTION_AT_MINIMUM = 10.0
"""Resolution points at exactly the slot's minimum size (30 at the ideal, 0 at nothing)."""
ASPECT_FULL_WITHIN = 0.06
"""|ln(real ratio / ideal ratio)| up to this (about 6%) keeps all 20 aspect points."""
ASPECT_ZERO_FROM = 0.30
"""|ln(real ratio / ideal ratio)| from this (about 35%) gets no aspect points; linear between."""

_TEXTLESS_CODES = frozenset({"", "00", "xx", "zxx", TEXTLESS})
"""What providers write for "no language": fanart.tv "00", TMDB null or "xx"."""

_TITLE_SLOTS = (
    "poster",
    "banner",
    "keyart",
    "clearlogo",
    "clearart",
    "discart",
    "landscape",
    "thumb",
)
_DEFAULT_WORDS = (PREFERRED, "en", TEXTLESS)

DEFAULT_LANGUAGES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        **dict.fromkeys(_TITLE_SLOTS, _DEFAULT_WORDS),
        "fanart": (TEXTLESS, PREFERRED),
        "characterart": (TEXTLESS,),
    }
)
"""Per slot, the languages most wanted first. A slot not named uses `(preferred, en, textless)`."""

DEFAULT_LIMITS: Mapping[str, int] = MappingProxyType({"poster": 1, "fanart": 3})
"""Per slot (and per season for season art), how many images to keep; 1 for a slot not named."""

DEFAULT_ASPECTS: Mapping[str, float | None] = MappingProxyType(
    {
        "poster": 2 / 3,
        "fanart": 16 / 9,
        "banner": 1000 / 185,
        "clearlogo": 800 / 310,
        "clearart": 1000 / 562,
        "discart": 1.0,
        "landscape": 16 / 9,
        "keyart": 2 / 3,
        "thumb": 16 / 9,
        "characterart": None,
    }
)
"""Per slot, the ideal width / height; None for a free shape (full aspect points)."""


@dataclass(frozen=True, slots=True)
class SlotSize:
    """The minimum and ideal pixel size of a slot (compared by area, so shape does not count)."""

    min_width: int
    min_height: int
    ideal_width: int
    ideal_height: int


DEFAULT_SIZES: Mapping[str, SlotSize] = MappingProxyType(
    {
        "poster": SlotSize(500, 750, 1000, 1500),
        "fanart": SlotSize(1280, 720, 1920, 1080),
        "banner": SlotSize(758, 140, 1000, 185),
        "clearlogo": SlotSize(400, 155, 800, 310),
        "clearart": SlotSize(500, 281, 1000, 562),
        "discart": SlotSize(500, 500, 1000, 1000),
        "landscape": SlotSize(500, 281, 1000, 562),
        "keyart": SlotSize(500, 750, 1000, 1500),
        "thumb": SlotSize(400, 225, 1280, 720),
        "characterart": SlotSize(256, 256, 512, 512),
    }
)
"""Per slot, the minimum and ideal size of the original (see the module docstring)."""

_FALLBACK_SIZE = SlotSize(500, 500, 1000, 1000)

DEFAULT_PROVIDER_ORDER = ("tmdb", "fanart", "tvdb", "omdb")
"""Providers most trusted first."""


@dataclass(frozen=True)
class AssetPolicy:
    """How candidates are scored and how many are kept (built from the `[assets]` config)."""

    preferred_language: str = "en"
    """The ISO 639-1 code the word "preferred" stands for."""
    language_policy: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_LANGUAGES)
    )
    """Per slot, "preferred", "textless" or language codes, most wanted first (20, 12, 6)."""
    provider_order: tuple[str, ...] = DEFAULT_PROVIDER_ORDER
    """Providers most trusted first: 10 points for the first, evenly less for each next one."""
    limits: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    """Per slot, how many images to keep (per season for season art); 1 when not named."""
    analyze_top: int = 3
    """Per slot and season, how many of the best pre-scored candidates are analysed."""
    aspects: Mapping[str, float | None] = field(default_factory=lambda: dict(DEFAULT_ASPECTS))
    """Per slot, the ideal width / height (None: any shape is fine)."""
    sizes: Mapping[str, SlotSize] = field(default_factory=lambda: dict(DEFAULT_SIZES))
    """Per slot, the minimum and ideal size of the original."""

    def __post_init__(self) -> None:
        if self.analyze_top < 0:
            raise ValueError("analyze_top must be 0 or more")
        if any(n < 0 for n in self.limits.values()):
            raise ValueError("a slot limit must be 0 or more")

    @classmethod
    def with_overrides(
        cls,
        *,
        preferred_language: str = "en",
        analyze_top: int = 3,
        limits: Mapping[str, int] | None = None,
        languages: Mapping[str, tuple[str, ...]] | None = None,
        provider_order: tuple[str, ...] | None = None,
    ) -> AssetPolicy:
        """The default policy with the slots named in `limits`/`languages` replaced.

        This is how the `[assets]` config section (which stores overrides only) becomes a policy.
        """
        return cls(
            preferred_language=preferred_language,
            analyze_top=analyze_top,
            limits={**DEFAULT_LIMITS, **(limits or {})},
            language_policy={**DEFAULT_LANGUAGES, **(languages or {})},
            provider_order=provider_order or DEFAULT_PROVIDER_ORDER,
        )

    def limit(self, slot: str) -> int:
        """How many images the slot keeps (per season for season art)."""
        return self.limits.get(slot, 1)

    def languages(self, slot: str) -> tuple[str, ...]:
        """The slot's language policy, most wanted first."""
        return self.language_policy.get(slot, _DEFAULT_WORDS)


def language_word(language: str | None) -> str:
    """A candidate's language as a policy word: a lower-case code, or `TEXTLESS`."""
    code = (language or "").strip().lower()
    return TEXTLESS if code in _TEXTLESS_CODES else code


def provider_rank(provider: str, policy: AssetPolicy) -> int:
    """The provider's position in `policy.provider_order` (unknown providers come last)."""
    order = policy.provider_order
    return order.index(provider) if provider in order else len(order)


def score(
    c: AssetCandidate,
    policy: AssetPolicy,
    *,
    measured: ImageInfo | None = None,
    max_votes: int = 0,
) -> ScoreParts:
    """Score a candidate from 0 to 100 in five parts.

    Args:
        c: the candidate.
        policy: the scoring policy.
        measured: what analysing the small rendition found. Its shape replaces the declared one
            for the aspect part ("check the real shape": a wrong-shaped image loses those
            points). When None, a shape measured earlier and stored on the candidate
            (`real_width`/`real_height`) is used if there is one.
        max_votes: the most votes any candidate of the same slot (and season) has; raised to
            the candidate's own votes when lower.

    Returns:
        The parts, each rounded to 2 decimals so they add up to `ScoreParts.total`.
    """
    if measured is not None:
        shape: tuple[int, int] | None = (measured.width, measured.height)
    elif c.real_width and c.real_height:
        shape = (c.real_width, c.real_height)
    else:
        shape = None
    return _score(c, policy, shape, max_votes)


def pre_score(c: AssetCandidate, policy: AssetPolicy, *, max_votes: int = 0) -> ScoreParts:
    """The score from declared data only (no measurement, stored or given): used to pick what
    to analyse."""
    return _score(c, policy, None, max_votes)


def _score(
    c: AssetCandidate, policy: AssetPolicy, shape: tuple[int, int] | None, max_votes: int
) -> ScoreParts:
    declared = _declared_size(c, policy)
    return ScoreParts(
        resolution=round(_resolution(c.slot, declared, policy), 2),
        aspect=round(_aspect(c.slot, shape or declared, policy), 2),
        language=round(_language(c, policy), 2),
        votes=round(_votes(c.votes, max_votes), 2),
        provider=round(_provider(c.provider, policy), 2),
    )


def _declared_size(c: AssetCandidate, policy: AssetPolicy) -> tuple[int, int] | None:
    """The declared size; with only one side declared, the other follows the slot's shape."""
    width = c.width if c.width and c.width > 0 else None
    height = c.height if c.height and c.height > 0 else None
    if width and height:
        return (width, height)
    ratio = policy.aspects.get(c.slot)
    if ratio and width:
        return (width, max(1, round(width / ratio)))
    if ratio and height:
        return (max(1, round(height * ratio)), height)
    return None


def _resolution(slot: str, size: tuple[int, int] | None, policy: AssetPolicy) -> float:
    """0 at nothing, 10 at the slot's minimum, 30 at (and above) its ideal, by linear scale
    (the square root of the area ratio); `UNKNOWN_RESOLUTION` when no size was declared."""
    if size is None:
        return UNKNOWN_RESOLUTION
    want = policy.sizes.get(slot, _FALLBACK_SIZE)
    ideal_area = want.ideal_width * want.ideal_height
    scale = math.sqrt(size[0] * size[1] / ideal_area)
    minimum = min(1.0, math.sqrt(want.min_width * want.min_height / ideal_area))
    if scale >= 1.0:
        return RESOLUTION_POINTS
    if scale >= minimum:
        span = RESOLUTION_POINTS - RESOLUTION_AT_MINIMUM
        return RESOLUTION_AT_MINIMUM + span * (scale - minimum) / (1.0 - minimum)
    return RESOLUTION_AT_MINIMUM * scale / minimum


def _aspect(slot: str, shape: tuple[int, int] | None, policy: AssetPolicy) -> float:
    """Full points within about 6% of the ideal ratio, none beyond about 35%, linear between."""
    ideal = policy.aspects.get(slot)
    if ideal is None:
        return ASPECT_POINTS
    if shape is None or shape[0] <= 0 or shape[1] <= 0:
        return UNKNOWN_ASPECT
    off = abs(math.log(shape[0] / shape[1] / ideal))
    if off <= ASPECT_FULL_WITHIN:
        return ASPECT_POINTS
    if off >= ASPECT_ZERO_FROM:
        return 0.0
    return ASPECT_POINTS * (ASPECT_ZERO_FROM - off) / (ASPECT_ZERO_FROM - ASPECT_FULL_WITHIN)


def _language(c: AssetCandidate, policy: AssetPolicy) -> float:
    """Points by the first position in the slot's policy that the candidate's language fits."""
    word = language_word(c.language)
    preferred = language_word(policy.preferred_language)
    for position, wanted in enumerate(policy.languages(c.slot)):
        wanted = preferred if wanted == PREFERRED else language_word(wanted)
        if wanted == word:
            return LANGUAGE_POINTS[position] if position < len(LANGUAGE_POINTS) else LANGUAGE_LATER
    return 0.0


def _votes(votes: int, max_votes: int) -> float:
    """log(1 + votes) / log(1 + most votes in the slot), so 10 of 100 votes is worth about half."""
    if votes <= 0:
        return 0.0
    top = max(max_votes, votes)
    return VOTES_POINTS * math.log1p(votes) / math.log1p(top)


def _provider(provider: str, policy: AssetPolicy) -> float:
    """10 for the first provider, then evenly less (10, 7.5, 5, 2.5 for four); 0 if unknown."""
    count = len(policy.provider_order)
    rank = provider_rank(provider, policy)
    return PROVIDER_POINTS * (count - rank) / count if count else 0.0
