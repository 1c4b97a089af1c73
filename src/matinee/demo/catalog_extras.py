"""Deterministic extras for the demo catalog: people, credits, ratings, keywords, images.

The bundled dataset has no cast, crew or certification, so each title gets plausible ones,
generated from small name lists and seeded by its TMDB id: the same id always yields the same
director, cast, poster set and US certification, on every machine and every run. Values are
stored in the title's record with TMDB's own shapes (cast and crew entries, image entries,
videos) so the response builders only have to select and copy.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from matinee.demo.artwork import ArtSpec, opaque_name

__all__ = ["Extras", "movie_extras", "series_extras"]

Json = dict[str, Any]

_POSTER_SIZES = ((1000, 1500), (1000, 1500), (800, 1200), (680, 1000), (1000, 1426))
_BACKDROP_SIZES = ((1920, 1080), (1920, 1080), (1280, 720), (3840, 2160))
_FOREIGN_LANGS = ("fr", "de", "es", "it", "ja", "pt")
_LANG_COUNTRY = {"en": "US", "fr": "FR", "de": "DE", "es": "ES", "it": "IT", "ja": "JP", "pt": "BR"}
_ENGLISH_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "ja": "Japanese", "pt": "Portuguese", "ru": "Russian", "zh": "Mandarin", "cn": "Cantonese",
    "ar": "Arabic", "he": "Hebrew", "la": "Latin", "sv": "Swedish", "no": "Norwegian",
    "pl": "Polish", "hu": "Hungarian", "cs": "Czech", "el": "Greek", "vi": "Vietnamese",
}  # fmt: skip


def _hex24(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


@dataclass
class Extras:
    """Shared state while generating: the name lists, the people met so far, the art table."""

    names: Json
    people: dict[int, Json] = field(default_factory=dict)
    art: dict[str, ArtSpec] = field(default_factory=dict)

    def image(self, key: str, spec: ArtSpec) -> str:
        """Register `spec` under an opaque file name derived from `key`; return the name."""
        name = opaque_name(key, "png" if spec.fmt == "PNG" else "jpg")
        self.art[name] = spec
        return name

    def person(self, name: str, gender: int, department: str) -> Json:
        """The person record for `name` (one id per name, stable across runs)."""
        person_id = (
            1_000_000 + int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16) % 9_000_000
        )
        known = self.people.get(person_id)
        while known is not None and known["name"] != name:  # rare hash collision: probe on
            person_id += 1
            known = self.people.get(person_id)
        if known is not None:
            return known
        rng = random.Random(f"person:{name}")
        profile = None
        if rng.random() < 0.85:
            spec = ArtSpec("profile", name, 600, 900, f"person:{name}")
            profile = self.image(f"profile:{person_id}", spec)
        record: Json = {
            "adult": False,
            "gender": gender,
            "id": person_id,
            "known_for_department": department,
            "name": name,
            "original_name": name,
            "popularity": round(rng.uniform(0.5, 40.0), 3),
            "profile_path": profile,
        }
        self.people[person_id] = record
        return record

    def random_person(self, rng: random.Random, department: str) -> Json:
        """A generated person drawn from the name lists."""
        gender = rng.choice((1, 2))
        pool = "first_names_female" if gender == 1 else "first_names_male"
        name = f"{rng.choice(self.names[pool])} {rng.choice(self.names['last_names'])}"
        return self.person(name, gender, department)

    def character(self, rng: random.Random) -> str:
        """A generated character name."""
        last = rng.choice(self.names["character_last"])
        if rng.random() < 0.2:
            return f"{rng.choice(self.names['character_titles'])} {last}"
        return f"{rng.choice(self.names['character_first'])} {last}"


def _cast_entry(person: Json, character: str, order: int, owner: str) -> Json:
    entry = dict(person)
    entry.update(
        {
            "cast_id": order + 1,
            "character": character,
            "credit_id": _hex24(f"{owner}:cast:{order}"),
            "order": order,
        }
    )
    return entry


def _crew_entry(person: Json, job: str, department: str, owner: str) -> Json:
    entry = dict(person)
    entry.update(
        {
            "credit_id": _hex24(f"{owner}:crew:{job}:{person['id']}"),
            "department": department,
            "job": job,
        }
    )
    return entry


def _image_entry(rng: random.Random, name: str, size: tuple[int, int], lang: str | None) -> Json:
    width, height = size
    return {
        "aspect_ratio": round(width / height, 3),
        "height": height,
        "iso_3166_1": _LANG_COUNTRY.get(lang) if lang else None,
        "iso_639_1": lang,
        "file_path": name,
        "vote_average": round(rng.uniform(5.0, 6.0), 3),
        "vote_count": rng.randint(1, 60),
        "width": width,
    }


def _images(extras: Extras, owner: str, title: str, year: str, lang: str) -> Json:
    """Posters, backdrops and logos for one title, best first (TMDB orders by votes)."""
    rng = random.Random(f"{owner}:images")
    other = lang if lang != "en" else rng.choice(_FOREIGN_LANGS)
    poster_langs: list[str | None] = ["en", None, other, "en", lang]
    posters: list[Json] = []
    for index in range(rng.randint(3, 5)):
        design = f"{owner}:poster:{index}"
        poster_lang = poster_langs[index]
        if index == 3:  # a lower-resolution re-upload of the main poster: a near-duplicate
            design = f"{owner}:poster:0"
        size = _POSTER_SIZES[index] if index != 3 else (500, 750)
        text = title if poster_lang is not None else ""
        spec = ArtSpec("poster", text, size[0], size[1], design, year)
        name = extras.image(f"{owner}:poster:{index}", spec)
        posters.append(_image_entry(rng, name, size, poster_lang))
    for rank, entry in enumerate(posters):
        entry["vote_count"] = max(1, 60 - 12 * rank - rng.randint(0, 5))
    backdrops: list[Json] = []
    for index in range(rng.randint(2, 4)):
        size = _BACKDROP_SIZES[index]
        backdrop_lang = None if index != 2 else "en"
        text = title if backdrop_lang else ""
        spec = ArtSpec("backdrop", text, size[0], size[1], f"{owner}:backdrop:{index}")
        name = extras.image(f"{owner}:backdrop:{index}", spec)
        backdrops.append(_image_entry(rng, name, size, backdrop_lang))
    logos: list[Json] = []
    for index in range(rng.randint(1, 2)):
        size = (800, 310) if index == 0 else (500, 194)
        spec = ArtSpec("logo", title, size[0], size[1], f"{owner}:logo:{index}", fmt="PNG")
        name = extras.image(f"{owner}:logo:{index}", spec)
        logos.append(_image_entry(rng, name, size, "en" if index == 0 else lang))
    return {"backdrops": backdrops, "logos": logos, "posters": posters}


def _keywords(extras: Extras, rng: random.Random, genres: list[Json]) -> list[Json]:
    table: dict[str, list[list[Any]]] = extras.names["keywords"]
    pool: dict[int, str] = {}
    for genre in genres:
        for keyword_id, name in table.get(genre["name"], []):
            pool.setdefault(int(keyword_id), str(name))
    chosen = rng.sample(sorted(pool.items()), k=min(len(pool), rng.randint(3, 6)))
    return [{"id": keyword_id, "name": name} for keyword_id, name in chosen]


def _videos(extras: Extras, rng: random.Random, owner: str, release: str) -> list[Json]:
    videos: list[Json] = []
    names: list[str] = extras.names["video_names"]
    year = int(release[:4]) if release[:4].isdigit() else 2000
    for index in range(rng.randint(1, 3)):
        name = rng.choice(names)
        published = f"{max(year, 2008) + index}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        videos.append(
            {
                "iso_639_1": "en",
                "iso_3166_1": "US",
                "name": name,
                "key": opaque_name(f"{owner}:video:{index}")[1:12],
                "site": "YouTube",
                "size": rng.choice((720, 1080, 2160)),
                "type": "Teaser" if name == "Teaser" else "Trailer",
                "official": rng.random() < 0.8,
                "published_at": f"{published}T{rng.randint(0, 23):02d}:00:00.000Z",
                "id": _hex24(f"{owner}:video:{index}"),
            }
        )
    return videos


def _certification(extras: Extras, rng: random.Random, genres: list[Json]) -> str:
    table: dict[str, list[str]] = extras.names["certifications"]
    for genre in genres:
        if genre["name"] in table:
            return rng.choice(table[genre["name"]])
    return rng.choice(table["default"])


def movie_extras(extras: Extras, movie: Json) -> None:
    """Add credits, certification, keywords, videos, images and ids to one movie record."""
    owner = f"movie:{movie['id']}"
    rng = random.Random(owner)
    year = movie["release_date"][:4]
    for company in movie["production_companies"]:
        company.setdefault("logo_path", None)
        company.setdefault("origin_country", "")
    for language in movie["spoken_languages"]:
        code = language["iso_639_1"]
        language.setdefault("english_name", _ENGLISH_NAMES.get(code, language["name"] or code))
    countries = movie["production_countries"]
    codes = [country["iso_3166_1"] for country in countries]
    movie["origin_country"] = ["US"] if "US" in codes else codes[:1]
    movie["images"] = _images(extras, owner, movie["title"], year, movie["original_language"])
    movie["poster_path"] = movie["images"]["posters"][0]["file_path"]
    movie["backdrop_path"] = movie["images"]["backdrops"][0]["file_path"]
    cast = [
        _cast_entry(extras.random_person(rng, "Acting"), extras.character(rng), order, owner)
        for order in range(rng.randint(5, 8))
    ]
    director = extras.random_person(rng, "Directing")
    crew = [_crew_entry(director, "Director", "Directing", owner)]
    jobs: list[str] = extras.names["writer_jobs"]
    for index in range(rng.randint(1, 2)):
        writer = director if index == 0 and rng.random() < 0.25 else None
        writer = writer or extras.random_person(rng, "Writing")
        crew.append(_crew_entry(writer, jobs[index * 2 % len(jobs)], "Writing", owner))
    for job, department in extras.names["extra_crew"][: rng.randint(1, 4)]:
        crew.append(_crew_entry(extras.random_person(rng, department), job, department, owner))
    movie["cast"] = cast
    movie["crew"] = crew
    movie["certification"] = _certification(extras, rng, movie["genres"])
    movie["keywords"] = _keywords(extras, rng, movie["genres"])
    movie["videos"] = _videos(extras, rng, owner, movie["release_date"])
    movie["wikidata_id"] = None
    collection = movie.pop("collection", None)
    if collection is not None:
        key = f"collection:{collection['id']}"
        poster = ArtSpec("poster", collection["name"], 1000, 1500, key)
        backdrop = ArtSpec("backdrop", "", 1920, 1080, key)
        collection = {
            "id": collection["id"],
            "name": collection["name"],
            "poster_path": extras.image(f"{key}:poster", poster),
            "backdrop_path": extras.image(f"{key}:backdrop", backdrop),
        }
    movie["belongs_to_collection"] = collection


def _episode_title(extras: Extras, rng: random.Random) -> str:
    words: Json = extras.names["episode_title_words"]
    nouns: list[str] = words["nouns"]
    noun, noun2 = rng.sample(nouns, 2)
    pattern: str = rng.choice(words["patterns"])
    return pattern.format(adj=rng.choice(words["adjectives"]), noun=noun, noun2=noun2)


def _episodes(extras: Extras, show: Json, season: Json, characters: list[str]) -> list[Json]:
    number = season["season_number"]
    owner = f"tv:{show['id']}:s{number}"
    rng = random.Random(owner)
    titles: list[str] = list(season.get("episodes") or [])
    while len(titles) < season.get("episode_count", 0):
        title = _episode_title(extras, rng)
        if title not in titles:
            titles.append(title)
    start = date.fromisoformat(season["air_date"])
    weekly = show.get("release_pattern", "weekly") == "weekly"
    templates: list[str] = extras.names["episode_overview_templates"]
    episodes: list[Json] = []
    for index, title in enumerate(titles, start=1):
        a, b = rng.sample(characters, 2)
        key = f"{owner}e{index}"
        still = ArtSpec("still", "", 1920, 1080, key, f"S{number:02d}E{index:02d}")
        director = extras.random_person(rng, "Directing")
        writer = extras.random_person(rng, "Writing")
        guests = [
            _cast_entry(extras.random_person(rng, "Acting"), extras.character(rng), 50 + i, key)
            for i in range(rng.randint(1, 3))
        ]
        air = start + timedelta(days=7 * (index - 1) if weekly else 0)
        episodes.append(
            {
                "air_date": air.isoformat(),
                "episode_number": index,
                "episode_type": "finale" if index == len(titles) else "standard",
                "id": 10_000_000 + show["id"] * 1000 + number * 100 + index,
                "name": title,
                "overview": rng.choice(templates).format(a=a, b=b),
                "production_code": f"{number}{index:02d}",
                "runtime": show["episode_runtime"] + rng.randint(-4, 6),
                "season_number": number,
                "show_id": show["id"],
                "still_path": extras.image(key, still),
                "vote_average": round(rng.uniform(7.0, 9.4), 3),
                "vote_count": rng.randint(20, 400),
                "crew": [
                    _crew_entry(director, "Director", "Directing", key),
                    _crew_entry(writer, "Writer", "Writing", key),
                ],
                "guest_stars": guests,
            }
        )
    return episodes


def series_extras(extras: Extras, show: Json) -> None:
    """Expand one handcrafted series: people, seasons with episodes, images, keywords."""
    owner = f"tv:{show['id']}"
    rng = random.Random(owner)
    year = show["first_air_date"][:4]
    show["images"] = _images(extras, owner, show["name"], year, show["original_language"])
    show["poster_path"] = show["images"]["posters"][0]["file_path"]
    show["backdrop_path"] = show["images"]["backdrops"][0]["file_path"]
    cast = [
        _cast_entry(extras.person(name, rng.choice((1, 2)), "Acting"), character, order, owner)
        for order, (name, character) in enumerate(show["cast"])
    ]
    creators = [extras.person(name, 2, "Writing") for name in show["created_by"]]
    show["cast"] = cast
    show["crew"] = [_crew_entry(p, "Executive Producer", "Production", owner) for p in creators]
    show["created_by"] = [
        {
            "id": p["id"],
            "credit_id": _hex24(f"{owner}:creator:{p['id']}"),
            "name": p["name"],
            "original_name": p["name"],
            "gender": p["gender"],
            "profile_path": p["profile_path"],
        }
        for p in creators
    ]
    for network in show["networks"]:
        spec = ArtSpec("network", network["name"], 400, 160, f"network:{network['id']}", fmt="PNG")
        network["logo_path"] = extras.image(f"network:{network['id']}", spec)
    for company in show["production_companies"]:
        company.setdefault("logo_path", None)
    show["keywords"] = _keywords(extras, rng, show["genres"])
    show["videos"] = _videos(extras, rng, owner, show["first_air_date"])
    characters = [entry["character"].split()[0] for entry in cast]
    for season in show["seasons"]:
        number = season["season_number"]
        season["id"] = 3_000_000 + show["id"] * 10 + number
        season["_id"] = _hex24(f"{owner}:season:{number}")
        season["name"] = f"Season {number}"
        spec = ArtSpec("poster", show["name"], 1000, 1500, f"{owner}:s{number}", f"Season {number}")
        season["poster_path"] = extras.image(f"{owner}:season:{number}", spec)
        season["vote_average"] = round(rng.uniform(7.5, 9.0), 1)
        season["episodes"] = _episodes(extras, show, season, characters)
        season.pop("episode_count", None)
