"""crawler.page on saved pages in the layouts that used to lose the whole article.

Each page here is written for this project, after layouts seen on real news sites: a layout
wrapper whose class names a sidebar, a WordPress post class `author-NAME` inside a body with
a sidebar class, Blogger's `widget Blog`, a `<br>` body next to a longer comment thread, a body
of bare `<div>`s next to a newsletter box, a content class that also says "read more", a
"Filed under:" label over a list of links, a story split in two around a figure with the
next story of an infinite-scroll page after it, an <article> that only holds other posts, and
an infinite-scroll page of longer stories under the first one.
"""

from pathlib import Path

import pytest

from crawler.page import parse_article

PAGES = Path(__file__).parent / "pages"
# file -> (headline, sentences the body must keep, furniture it must drop)
LAYOUTS = {
    "sidebar_fixed_wrapper.html": (
        "Harbor Lights renewed for a third season",
        ["Coastline has renewed Harbor Lights", "What the numbers say", "most streamed episode"],
        ["Tin Whistle", "Paper Moons", "Dana Quill", "Filed under", "Copyright", "Home"],
    ),
    "br_body_beside_comments.html": (
        "Quarry Road gets a fourth season",
        ["Northlight has ordered a fourth season", "previous three seasons have all arrived"],
        ["About time", "licence fee", "do not cancel it", "Reader comments", "Archive"],
    ),
    "div_body_beside_newsletter.html": (
        "Glass Orchard will end with season five",
        ["will end with its fifth season", "the last scene had been written"],
        ["Sign up", "subscribing", "customer service", "The Remote"],
    ),
    "wordpress_author_class.html": (
        "Night Ferry cancelled after two seasons",
        ["Bayline has cancelled Night Ferry", "audience fell by half"],
        ["Dock Nine", "never gave it a chance", "Salt Flats", "Jo Marsh"],
    ),
    "blogger_widget_blog.html": (
        "Sunday Roast Saga picked up by Streamly",
        ["Streamly has picked up Sunday Roast Saga", "Filming begins in the summer"],
        ["Popular Posts", "Ten shows cancelled", "Crafted with care"],
    ),
    "sections_split_by_figure.html": (
        "Lamplighters: the final season, explained",
        ["Lamplighters will end with its sixth season", "ten final episodes arrive weekly"],
        ["Wireless", "last night of filming", "Quarterly Screen"],
    ),
    "article_of_other_posts.html": (
        "Saltmarsh is cancelled after one season",
        ["Estuary has cancelled Saltmarsh", "would not look for a new home"],
        ["Pier Pressure", "Tidal", "Kingfisher", "You might enjoy"],
    ),
    "infinite_scroll_stories.html": (
        "Blue Hour renewed for season two",
        ["Lumen has renewed Blue Hour", "eight more episodes"],
        ["Ledger Lines", "Dry Dock", "Paper Lanterns", "Knife Edge", "best dramas"],
    ),
    "read_more_content_class.html": (
        "Copper Bay ends with season three",
        ["Copper Bay will end with its third season", "filmed on the old pier"],
        ["Sam Reed", "Kelp Forest", "Rope Walk", "Trending"],
    ),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_keeps_the_article_and_drops_the_boxes(name):
    headline, kept, dropped = LAYOUTS[name]
    page = parse_article((PAGES / name).read_bytes())
    assert page.title == headline
    assert headline not in page.text  # the headline is its own field
    for sentence in kept:
        assert sentence in page.text, sentence
    for junk in dropped:
        assert junk not in page.text, junk


def test_every_saved_layout_is_checked():
    assert {path.name for path in PAGES.glob("*.html")} == set(LAYOUTS)
