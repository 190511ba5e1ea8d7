# ruff: noqa: E501
"""The demo newsroom: original sample content written for this project.

People, agencies and most places are fictional. Stories live in one module
per section (stories_<section>.py) and are gathered here.
"""

SECTIONS = [
    {"slug": "national", "name": "National", "description": "Government, courts and the country's public life."},
    {"slug": "world", "name": "World", "description": "Reporting from correspondents and agencies abroad."},
    {"slug": "business", "name": "Business", "description": "Companies, markets, work and the economy."},
    {"slug": "science", "name": "Science", "description": "Research, health, climate and technology."},
    {"slug": "culture", "name": "Culture", "description": "Books, music, film, art and ideas."},
    {"slug": "sport", "name": "Sport", "description": "Results, profiles and the business of games."},
]

CONTRIBUTORS = [
    {"slug": "amara-okafor", "name": "Amara Okafor", "kind": "person", "job_title": "Washington correspondent",
     "bio": "Amara Okafor covers Congress and federal agencies. She previously reported on state government for eight years.",
     "user": "reporter"},
    {"slug": "lena-hartmann", "name": "Lena Hartmann", "kind": "person", "job_title": "Europe correspondent",
     "bio": "Lena Hartmann reports on European politics and trade from Brussels. She speaks German, French and Dutch.",
     "user": None},
    {"slug": "tomas-reyes", "name": "Tomás Reyes", "kind": "person", "job_title": "Staff photographer",
     "bio": "Tomás Reyes has photographed elections, floods and championship finals for the paper since 2015.",
     "user": "photo"},
    {"slug": "priya-natarajan", "name": "Priya Natarajan", "kind": "person", "job_title": "Business reporter",
     "bio": "Priya Natarajan writes about companies, labour and the housing market.",
     "user": None},
    {"slug": "daniel-moreau", "name": "Daniel Moreau", "kind": "person", "job_title": "Science editor",
     "bio": "Daniel Moreau edits the science desk and writes about climate and public health.",
     "user": "editor"},
    {"slug": "yuki-tanabe", "name": "Yuki Tanabe", "kind": "person", "job_title": "Culture writer",
     "bio": "Yuki Tanabe reviews books and film and reports on the arts economy.",
     "user": None},
    {"slug": "marcus-bell", "name": "Marcus Bell", "kind": "person", "job_title": "Sports reporter",
     "bio": "Marcus Bell covers football, athletics and the money behind them.",
     "user": None},
    {"slug": "continental-press", "name": "Continental Press", "kind": "organisation", "job_title": "News agency",
     "bio": "Continental Press is a news agency whose reports appear here under its own byline.",
     "user": None},
]


def _stories():
    from . import (
        stories_business,
        stories_culture,
        stories_embargoed,
        stories_national,
        stories_science,
        stories_sport,
        stories_world,
    )

    return [
        *stories_national.STORIES,
        *stories_world.STORIES,
        *stories_business.STORIES,
        *stories_science.STORIES,
        *stories_culture.STORIES,
        *stories_sport.STORIES,
        *stories_embargoed.STORIES,
    ]


STORIES = _stories()
