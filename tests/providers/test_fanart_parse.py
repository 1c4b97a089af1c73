"""FanartProvider art mapping: candidates and chosen fields from saved fanart.tv v3 payloads."""

from __future__ import annotations

from collections import Counter

import pytest
import respx

from matinee.model import FIELD_BY_NAME, Ids
from matinee.providers.base import ART_SLOTS, Artwork, ProviderRecord
from matinee.providers.fanart import FanartProvider
from matinee.providers.http import ProviderEnv

from .fanart_support import DEXTER, HUNGER_GAMES, KEY, MOVIE, SERIES, WILFRED, load, settings
from .support import FakeSleep

ASSETS = "https://assets.fanart.tv/fanart"
PREVIEWS = "https://assets.fanart.tv/preview"


def counts(record: ProviderRecord) -> Counter[tuple[str, bool]]:
    """Candidates per (slot, whole title?)."""
    return Counter((a.slot, a.season is None) for a in record.artwork)


def by_id(record: ProviderRecord, asset_id: str) -> Artwork:
    return next(a for a in record.artwork if a.asset_id == asset_id)


@pytest.fixture
async def hunger_games(fanart_api: respx.MockRouter, fanart: FanartProvider) -> ProviderRecord:
    fanart_api.get("/movies/70160").respond(json=load("movies_70160_the_hunger_games_v3.json"))
    return await fanart.fetch(MOVIE, HUNGER_GAMES)


@pytest.fixture
async def dexter(fanart_api: respx.MockRouter, fanart: FanartProvider) -> ProviderRecord:
    fanart_api.get("/tv/79349").respond(json=load("tv_79349_dexter_v3.json"))
    return await fanart.fetch(SERIES, DEXTER)


@pytest.fixture
async def wilfred(fanart_api: respx.MockRouter, fanart: FanartProvider) -> ProviderRecord:
    fanart_api.get("/tv/239761").respond(json=load("tv_239761_wilfred_us_v3.json"))
    return await fanart.fetch(SERIES, WILFRED)


# --- movies ----------------------------------------------------------------------------------


async def test_movie_request_and_ids(fanart_api: respx.MockRouter, fanart: FanartProvider) -> None:
    route = fanart_api.get("/movies/70160").respond(
        json=load("movies_70160_the_hunger_games_v3.json")
    )
    record = await fanart.fetch(MOVIE, HUNGER_GAMES)
    request = route.calls.last.request
    assert request.url.path == "/v3/movies/70160"
    assert dict(request.url.params) == {"api_key": KEY}  # no client_key when none is set
    assert fanart.requests_made == 1
    assert (record.provider, record.kind) == ("fanart", MOVIE)
    assert record.ids == Ids(tmdb=70160, imdb="tt1392170")
    assert (record.credits, record.alternative_titles, record.seasons) == ((), (), ())


async def test_movie_candidates_per_slot(hunger_games: ProviderRecord) -> None:
    assert counts(hunger_games) == {
        ("poster", True): 22,
        ("fanart", True): 19,
        ("clearlogo", True): 12 + 3,
        ("clearart", True): 14 + 2,
        ("discart", True): 13,
        ("banner", True): 6,
        ("landscape", True): 8,
    }
    assert all(a.provider == "fanart" and a.slot in ART_SLOTS for a in hunger_games.artwork)
    assert all(a.width is None and a.height is None for a in hunger_games.artwork)  # v3: none


async def test_movie_hd_types_come_before_sd(hunger_games: ProviderRecord) -> None:
    logos = [a.url.split("/")[6] for a in hunger_games.artwork if a.slot == "clearlogo"]
    assert logos == ["hdmovielogo"] * 12 + ["movielogo"] * 3
    clearart = [a.url.split("/")[6] for a in hunger_games.artwork if a.slot == "clearart"]
    assert clearart == ["hdmovieclearart"] * 14 + ["movieart"] * 2


async def test_movie_candidate_values(hunger_games: ProviderRecord) -> None:
    logo = hunger_games.artwork[[a.slot for a in hunger_games.artwork].index("clearlogo")]
    assert logo == Artwork(
        slot="clearlogo",
        url=f"{ASSETS}/movies/70160/hdmovielogo/the-hunger-games-528f5039e0952.png",
        provider="fanart",
        asset_id="57659",
        preview_url=f"{PREVIEWS}/movies/70160/hdmovielogo/the-hunger-games-528f5039e0952.png",
        language="en",
        votes=11,
    )
    textless = by_id(hunger_games, "58174")
    assert (textless.slot, textless.language, textless.votes) == ("poster", None, 6)
    background = by_id(hunger_games, "15919")  # lang ""
    assert (background.slot, background.language, background.season) == ("fanart", None, None)
    dvd = by_id(hunger_games, "8431")
    assert (dvd.slot, dvd.disc, dvd.disc_type, dvd.votes) == ("discart", 1, "dvd", 4)
    bluray = by_id(hunger_games, "26728")
    assert (bluray.disc, bluray.disc_type, bluray.language) == (1, "bluray", "en")
    assert {a.language for a in hunger_games.artwork if a.slot == "clearlogo"} == {
        "en", "fr", "es", "de", "pl", "ru",
    }  # fmt: skip
    assert all(a.disc is None for a in hunger_games.artwork if a.slot != "discart")


async def test_movie_chosen_fields(hunger_games: ProviderRecord) -> None:
    movies = f"{ASSETS}/movies/70160"
    assert hunger_games.fields == {
        "poster": f"{movies}/movieposter/the-hunger-games-52497d189110b.jpg",
        "fanart": f"{movies}/moviebackground/the-hunger-games-5071e12006159.jpg",
        "clearlogo": f"{movies}/hdmovielogo/the-hunger-games-528f5039e0952.png",
        "clearart": f"{movies}/hdmovieclearart/the-hunger-games-5296dda1af66e.png",
        "discart": f"{movies}/moviedisc/the-hunger-games-5139a08c09956.png",
        "banner": f"{movies}/moviebanner/the-hunger-games-514ec04ad47de.jpg",
        "landscape": f"{movies}/moviethumb/the-hunger-games-52f19dd4dc531.jpg",
    }
    for name in hunger_games.fields:
        assert MOVIE in FIELD_BY_NAME[name].kinds, name


# --- series ----------------------------------------------------------------------------------


async def test_dexter_candidates_per_slot(dexter: ProviderRecord) -> None:
    assert dexter.ids == Ids(tvdb=79349)
    assert counts(dexter) == {
        ("poster", True): 11,
        ("poster", False): 40,
        ("fanart", True): 30,
        ("fanart", False): 5,
        ("clearlogo", True): 4 + 4,
        ("clearart", True): 10 + 8,
        ("banner", True): 8,
        ("banner", False): 8,
        ("landscape", True): 23 + 3,  # three seasonthumbs say season "all"
        ("landscape", False): 46,
        ("characterart", True): 8,
    }


async def test_dexter_seasons(dexter: ProviderRecord) -> None:
    specials = by_id(dexter, "83080")
    assert (specials.slot, specials.season, specials.votes) == ("poster", 0, 2)
    background = by_id(dexter, "18467")
    assert (background.slot, background.season, background.language) == ("fanart", 1, None)
    assert by_id(dexter, "4989").season is None  # seasonthumb, season "all"
    assert by_id(dexter, "4989").slot == "landscape"
    banners = sorted(a.season or 0 for a in dexter.artwork if a.slot == "banner" and a.season)
    assert banners == list(range(1, 9))
    posters = Counter(a.season for a in dexter.artwork if a.slot == "poster")
    assert posters[None] == 11 and posters[1] == 6 and posters[8] == 3 and posters[0] == 1
    clearart = by_id(dexter, "4980")  # a file name with a space and parentheses
    assert clearart.url == f"{ASSETS}/tv/79349/clearart/D_79349 (3).png"
    assert clearart.preview_url == f"{PREVIEWS}/tv/79349/clearart/D_79349 (3).png"


async def test_dexter_chosen_fields_ignore_season_art(dexter: ProviderRecord) -> None:
    tv = f"{ASSETS}/tv/79349"
    assert dexter.fields == {
        "poster": f"{tv}/tvposter/dexter-5251f81d6a966.jpg",
        # 18467 (5 likes) is season 1's background: the whole title gets 67878 (3 likes)
        "fanart": f"{tv}/showbackground/dexter-583183539d11d.jpg",
        "clearlogo": f"{tv}/hdtvlogo/dexter-50575994eb118.png",
        "clearart": f"{tv}/hdclearart/dexter-50af98e73b0a5.png",
        "banner": f"{tv}/tvbanner/dexter-51bfc89667267.jpg",
        "landscape": f"{tv}/tvthumb/dexter-51f27112a2a89.jpg",
    }
    assert "characterart" not in dexter.fields  # not a registry field
    character = by_id(dexter, "16825")
    assert (character.slot, character.language, character.votes) == ("characterart", "en", 6)


async def test_wilfred(wilfred: ProviderRecord) -> None:
    assert wilfred.ids == Ids(tvdb=239761)
    assert counts(wilfred) == {
        ("banner", True): 10,
        ("clearlogo", True): 5 + 3,
        ("landscape", False): 7,
        ("landscape", True): 2,
        ("fanart", True): 5,
        ("clearart", True): 2 + 2,
        ("poster", True): 1,
    }
    specials = by_id(wilfred, "19588")
    assert (specials.slot, specials.season, specials.language) == ("landscape", 0, "en")
    assert all(a.season is None for a in wilfred.artwork if a.slot == "fanart")  # all "all"
    assert by_id(wilfred, "19965").votes == 0


async def test_wilfred_choice_rules(wilfred: ProviderRecord) -> None:
    tv = f"{ASSETS}/tv/239761"
    # logo: HD 21101 and SD 11977 both have 2 likes; the HD one is listed first and wins
    assert wilfred.fields["clearlogo"] == f"{tv}/hdtvlogo/wilfred-us-505f373be58e6.png"
    # clear art: the SD 11987 has more likes (2) than any HD one (1)
    assert wilfred.fields["clearart"] == f"{tv}/clearart/wilfred-us-4e05f10e87711.png"
    # banner: 33755 (he, 1 like) is listed first, 57138 (en, 1 like) is preferred
    assert wilfred.fields["banner"] == f"{tv}/tvbanner/wilfred-us-5607140bac1c6.jpg"
    # poster: the only one is Hebrew: still better than none
    assert wilfred.fields["poster"] == f"{tv}/tvposter/wilfred-us-525d893230d7c.jpg"
    assert by_id(wilfred, "34584").language == "he"


async def test_metadata_language_is_preferred(fanart_api: respx.MockRouter) -> None:
    fanart_api.get("/tv/239761").respond(json=load("tv_239761_wilfred_us_v3.json"))
    provider = FanartProvider(settings(language="he-IL"), ProviderEnv(sleep=FakeSleep()))
    try:
        record = await provider.fetch(SERIES, WILFRED)
    finally:
        await provider.aclose()
    banner = f"{ASSETS}/tv/239761/tvbanner/wilfred-us-52403a7185070.jpg"
    assert record.fields["banner"] == banner  # 33755 (he) is now as good as 57138 (en)


# --- odd shapes ------------------------------------------------------------------------------


async def test_odd_shapes_are_dropped_not_fatal(
    fanart_api: respx.MockRouter, fanart: FanartProvider
) -> None:
    url = f"{ASSETS}/tv/1/x"
    body = {
        "name": "Odd",
        "thetvdb_id": 1,  # an int, not the usual string
        "hdtvlogo": {"id": "1", "url": f"{url}/logo.png"},  # not a list
        "clearlogo": "nope",
        "tvposter": [
            "not a dict",
            None,
            {"id": "2", "lang": "en", "likes": "3"},  # no url
            {"id": "3", "url": 42},
            {"id": "4", "url": "  "},
            {"id": "5", "url": "ftp://elsewhere/poster.jpg"},
            {"id": 6, "url": f"{url}/poster.jpg", "lang": None, "likes": "lots"},
            {"url": "https://mirror.test/poster.jpg", "lang": "EN", "likes": 2},
        ],
        "seasonposter": [
            {"id": "7", "url": f"{url}/s.jpg", "season": "x"},
            {"id": "8", "url": f"{url}/s.jpg"},  # season art without a season
            {"id": "9", "url": f"{url}/s.jpg", "season": "-1"},
            {"id": "10", "url": f"{url}/s.jpg", "season": 2},
        ],
        "showbackground": [{"id": "11", "url": f"{url}/bg.jpg"}],  # no season: whole title
        "tvthumb": [],
        "seasonbanner": None,
    }
    fanart_api.get("/tv/1").respond(json=body)
    record = await fanart.fetch(SERIES, Ids(tvdb=1))
    assert record.ids == Ids(tvdb=1)
    assert [(a.asset_id, a.slot, a.season) for a in record.artwork] == [
        ("6", "poster", None),
        (None, "poster", None),
        ("11", "fanart", None),
        ("10", "poster", 2),
    ]
    odd = record.artwork[0]
    assert (odd.votes, odd.language, odd.preview_url) == (0, None, f"{PREVIEWS}/tv/1/x/poster.jpg")
    mirror = record.artwork[1]
    assert (mirror.language, mirror.votes, mirror.preview_url) == ("en", 2, None)
    assert record.fields == {"poster": "https://mirror.test/poster.jpg", "fanart": f"{url}/bg.jpg"}


async def test_odd_movie_ids_are_dropped(
    fanart_api: respx.MockRouter, fanart: FanartProvider
) -> None:
    fanart_api.get("/movies/5").respond(json={"tmdb_id": "five", "imdb_id": "nm0000206"})
    record = await fanart.fetch(MOVIE, Ids(tmdb=5))
    assert record == ProviderRecord(provider="fanart", kind=MOVIE, ids=Ids(), fields={})
