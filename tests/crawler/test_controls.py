import xml.etree.ElementTree as ET

from crawler.controls import table_cell, without_controls
from crawler.page import parse_article
from renewals.ledger_cli import atom_feed


def test_character_references_to_control_characters_are_removed_from_every_field() -> None:
    page = parse_article(
        "<html><head><title>Copper&#x1b;[2J Sky</title></head><body><article>"
        "<h1>Copper Sky&#x7;</h1><p>Netflix has renewed&#x9b;31m Copper Sky&#1;.</p>"
        "<p>Second paragraph.</p></article></body></html>",
        "https://news.example/a",
    )
    assert page.title == "Copper Sky"  # the article's own headline
    for text in (page.title, page.text, page.body_html):
        assert without_controls(text) == text
    assert "\n" in page.text  # paragraphs keep their line breaks


def test_a_table_cell_is_one_line_without_escapes() -> None:
    assert table_cell("a\x1b[31mb\tc\nd\x9b") == "a[31mb c d"
    assert table_cell(None) == ""


def test_the_atom_feed_is_valid_xml_whatever_an_old_database_holds() -> None:
    change = {
        "show": "Copper\x1b Sky", "from_status": "renewed", "from_season": 2,
        "to_status": "cancelled", "to_season": 3, "url": "javascript:alert(1)",
        "detected_at": "2026-06-02T00:00:00+00:00", "network": "Net\x01flix",
        "announced": None, "source": "blog\x00", "evidence": "axed\ud800\x0c",
    }  # fmt: skip
    root = ET.fromstring(atom_feed([change], "feed"))
    (entry,) = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert entry.find("{http://www.w3.org/2005/Atom}link") is None
    assert entry.findtext("{http://www.w3.org/2005/Atom}title").startswith("Copper Sky:")
