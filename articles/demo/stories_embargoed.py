# ruff: noqa: E501
"""A wire story that arrived under embargo (original, fictional content).

It is published, so the site holds it until the embargo ends: editors see it as scheduled,
and its preview carries the EMBARGOED banner.
"""

STORIES = [
    {
        "slug": "harbour-authority-annual-report-embargoed",
        "section": "business",
        "kicker": "Ports",
        "headline": "Harbour authority reports record cargo year and plans a second container berth",
        "dek": "The annual report, released to news agencies under embargo, shows volumes up 11 percent and a $400 million expansion plan.",
        "dateline": "PORT ALDEN",
        "bylines": [("continental-press", "by")],
        "tags": ["Trade", "Shipping"],
        "paragraphs": [
            "The Port Alden Harbour Authority handled a record 2.4 million containers last year, up 11 percent, and will ask the city for approval to build a second deep-water berth, according to its annual report.",
            "The authority said the $400 million project would be financed mostly from port fees and would take four years to complete once permits are granted.",
            "“We are turning ships away on busy weeks,” the authority’s chief executive, Ruth Okonkwo, wrote in the report. “A second berth lets us keep the trade we already have.”",
            "Environmental groups said they would study the plan’s effect on the estuary before taking a position.",
        ],
        "photo": {
            "caption": "Cranes unload a container ship at Port Alden’s existing berth.",
            "credit": "Continental Press",
            "alt": "Tall cranes stand over a container ship stacked with coloured boxes.",
            "source": "Continental Press",
            "palette": ["#264653", "#2a9d8f", "#e9c46a"],
            "scene": "field",
        },
        "hours_ago": 0,
        "embargo_hours": 6,
        "status": "published",
        "correction": None,
        "featured": False,
    },
]
