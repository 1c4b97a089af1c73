"""The artwork records shared by scoring, selection, the cache and the store.

A candidate is one image a provider offers for one slot of one entity (poster, fanart, ...;
season art carries its season). It is stored with what the provider declared (size, language,
votes), what the cheap analysis measured (perceptual hash, real size of the small rendition,
and so the real shape), and the score with its parts, so a picker can explain a choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["TEXTLESS", "AssetCandidate", "ImageInfo", "ScoreParts"]

TEXTLESS = "textless"
"""The language-policy word for an image with no text (a provider's null / "00" language)."""


@dataclass(frozen=True, slots=True)
class ScoreParts:
    """The five parts of a 0-100 score (DESIGN.md §8): resolution 30, aspect ratio 20,
    language 20, community votes 20, provider 10."""

    resolution: float = 0.0
    aspect: float = 0.0
    language: float = 0.0
    votes: float = 0.0
    provider: float = 0.0

    @property
    def total(self) -> float:
        return round(self.resolution + self.aspect + self.language + self.votes + self.provider, 2)

    def as_dict(self) -> dict[str, float]:
        return {
            "resolution": round(self.resolution, 2),
            "aspect": round(self.aspect, 2),
            "language": round(self.language, 2),
            "votes": round(self.votes, 2),
            "provider": round(self.provider, 2),
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What decoding an image told us."""

    width: int
    height: int
    format: str  # JPEG, PNG, WEBP
    phash: str  # 16 hex digits (64-bit perceptual hash)


@dataclass(frozen=True, slots=True)
class AssetCandidate:
    """One stored artwork candidate.

    Attributes:
        id: the store's row id (None before it is stored).
        entity_id: the entity it is for.
        slot: poster, fanart, banner, clearlogo, clearart, discart, landscape, keyart, thumb,
            characterart.
        season: for season art, the season number; None for the whole title.
        provider, url, preview_url, language (ISO 639-1, None = textless/unknown), votes,
            rating, width, height (declared), disc, disc_type: as the provider declared them.
        phash, real_width, real_height: measured on the small rendition (None until analysed).
        score, parts: the last score and its parts.
        selected: chosen for the slot; selected_by: "auto" or "user".
        cached_path: where the selected original is in the cache (relative to the cache root).
    """

    entity_id: int
    slot: str
    provider: str
    url: str
    id: int | None = None
    season: int | None = None
    preview_url: str | None = None
    language: str | None = None
    votes: int = 0
    rating: float | None = None
    width: int | None = None
    height: int | None = None
    disc: int | None = None
    disc_type: str | None = None
    phash: str | None = None
    real_width: int | None = None
    real_height: int | None = None
    score: float | None = None
    parts: dict[str, float] = field(default_factory=dict)
    selected: bool = False
    selected_by: str | None = None
    cached_path: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slot": self.slot,
            "season": self.season,
            "provider": self.provider,
            "url": self.url,
            "previewUrl": self.preview_url,
            "language": self.language,
            "votes": self.votes,
            "rating": self.rating,
            "width": self.width,
            "height": self.height,
            "disc": self.disc,
            "discType": self.disc_type,
            "phash": self.phash,
            "score": self.score,
            "scoreParts": dict(self.parts),
            "selected": self.selected,
            "selectedBy": self.selected_by,
            "cachedPath": self.cached_path,
        }
