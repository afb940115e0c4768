"""Which part of a page is the article, and which boxes inside it are page furniture.

A class word alone is weak evidence: "sidebar", "widget" or "author" also name layout wrappers
(`l-sidebar-fixed`, Blogger's `widget Blog`, a WordPress post class `author-NAME`) that hold
the whole story. So each decision weighs the word on the node itself against how much of the
article's text the node holds and how much of that text is links; an ancestor's words count
only when that ancestor is a minority of the page. Text lengths are measured once per page.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

# Tags whose content is never article text.
DROP_TAGS = {
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button",
    "select", "iframe", "svg", "figure", "figcaption", "img", "video", "audio", "object",
    "input", "textarea", "time", "h5", "h6",
}  # fmt: skip
# Tags that never hold article text (their text is not counted anywhere).
INVISIBLE_TAGS = {"script", "style", "noscript", "template", "head", "title", "select", "textarea"}
# Inline tags: their text belongs to the block around them.
INLINE_TAGS = {
    "a", "span", "font", "u", "small", "sup", "sub", "abbr", "cite", "q", "mark", "s", "del",
    "ins", "code", "bdi", "bdo", "wbr", "big", "tt", "var", "dfn", "em", "i", "strong", "b", "br",
    "time", "label",
}  # fmt: skip
# Class/id words that mark page furniture inside an article (matched as whole words).
BOILERPLATE_WORDS = {
    "related", "trending", "sidebar", "rail", "widget", "widgets", "comment", "comments",
    "share", "sharing", "social", "newsletter", "promo", "advert", "advertisement", "ad",
    "ads", "tags", "tag", "tagcloud", "byline", "breadcrumb", "breadcrumbs", "meta", "author",
    "subscribe", "signup", "nav", "navbar", "menu", "popular", "recommended", "sponsored",
    "caption", "credit", "more", "also", "outbrain", "taboola", "kicker", "toc", "disclaimer",
    "footer", "copyright",
}  # fmt: skip
# Furniture words that also hide inside longer class names ("commentlist", "relatedPosts").
BOILERPLATE_PART = re.compile(
    r"comment|related|sidebar|newsletter|promo|advert|trending|recommend|popular|breadcrumb|"
    r"byline|disqus|outbrain|taboola|share-?bar|social|most-read|mostread|read-?more|"
    r"also-?read|must-?read|you-may|teaser|recirc|carousel|up-?next|read-?next|editors?-?picks?|"
    r"more-?stories|further-?reading|icymi|footer"
)
CONTENT_WORDS = {"content", "body", "article", "entry", "story", "main", "text", "post"}
# Words that mark a region of other people's or other stories' text, whatever its size.
THREAD_WORDS = {"comment", "comments", "card", "teaser", "promo"}
ANCESTOR_WORDS = {"comment", "comments", "sidebar", "related", "widget", "rail", "more"}
READ_MORE = re.compile(
    r"^\W*(must[\s-]*reads?|also[\s-]*read|read[\s-]*(more|also|next)|related( stories| story"
    r"| articles?| posts?| reading)?|see also|don'?t miss|more from|recommended( reading)?"
    r"|trending( now)?|you (may|might) also like|keep reading|watch\s*:|listen\s*:|more on\s*:"
    r"|in case you missed it|icymi|up next|next up|further reading|editor'?s'? picks?"
    r"|more stories|latest news|around the web|what to read next"
    r"|filed under|(?:tags|topics|categories)\s*:)"
    r"(?:\b|(?<=:))",
    re.IGNORECASE,
)
WRAPPER_SHARE = 0.5  # a node holding this much of the article's text is its wrapper, not a box
CONTENT_SHARE = 0.25  # ...or this much, when its own class names it content ("entry-content")
LINKED = 0.3  # link text share above which a node reads as a list of links, not prose
WRAPPER_LINKED = 0.5  # a wrapper also holds the boxes inside it, links and all
STORY = 0.25  # the first of several headlined stories holds at least this share of the score
SECTION = 0.1  # a same-class container with this share of the best one's score continues it
CANDIDATES = 5  # the best-scoring containers that are checked for furniture ancestors
PARAGRAPH_MIN = 25  # shorter runs of text are labels, dates, bylines


def words(node: etree._Element) -> set[str]:
    """The lower-cased words of a node's class and id."""
    marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    return set(re.split(r"[^a-z0-9]+", marks)) - {""}


def furniture_words(node: etree._Element) -> bool:
    """True when the node's own class or id names page furniture."""
    found = words(node)
    if found & BOILERPLATE_WORDS or {"also", "read"} <= found:
        return True
    marks = " ".join(sorted(found))
    return bool(marks and BOILERPLATE_PART.search(marks) and not found & CONTENT_WORDS)


@dataclass
class PageText:
    """Visible text lengths of every element of one page, measured in one pass."""

    root: etree._Element
    text: dict[etree._Element, int] = field(default_factory=dict)
    links: dict[etree._Element, int] = field(default_factory=dict)
    own: dict[etree._Element, int] = field(default_factory=dict)
    position: dict[etree._Element, int] = field(default_factory=dict)  # document order

    def __post_init__(self) -> None:
        text, links, own = self.text, self.links, self.own
        block: dict[etree._Element, etree._Element] = {}  # where an element's loose text counts
        order: list[tuple[etree._Element, etree._Element | None]] = []
        for node in self.root.iter():
            parent = node.getparent()
            if node.tail and parent is not None:  # a comment's tail is its parent's text too
                length = len(node.tail.strip())
                text[parent] += length
                own[block[parent]] += length
            if not isinstance(node.tag, str):
                continue
            self.position[node] = len(order)
            order.append((node, parent))
            text[node] = links[node] = own[node] = 0
            inline = parent is not None and node.tag in INLINE_TAGS
            block[node] = block[parent] if inline else node
            if node.text and node.tag not in INVISIBLE_TAGS:
                length = len(node.text.strip())
                text[node] += length
                own[block[node]] += length
        for node, parent in reversed(order):
            if node.tag == "a":
                links[node] = text[node]
            if parent is not None and node.tag not in INVISIBLE_TAGS:
                text[parent] += text[node]
                links[parent] += links[node]

    def unlinked(self, node: etree._Element) -> int:
        return self.text.get(node, 0) - self.links.get(node, 0)

    def link_density(self, node: etree._Element) -> float:
        length = self.text.get(node, 0)
        return self.links.get(node, 0) / length if length else 0.0

    def is_furniture(self, node: etree._Element, scope: etree._Element) -> bool:
        """A box inside `scope` (the article) that is not article text."""
        if node.tag in DROP_TAGS or node.tag == "h1":
            return True
        if node.tag in {"p", "div", "section", "ul", "ol", "li"}:
            if READ_MORE.match(node.text_content().strip()):
                return True
            length = self.text.get(node, 0)
            if node.tag != "li" and length and self.links.get(node, 0) >= 0.8 * length:
                return True  # a box or list of links: related stories, not article text
        if not furniture_words(node):
            return False
        return not self._holds_article(node, scope)

    def _holds_article(self, node: etree._Element, scope: etree._Element) -> bool:
        """True when a node with a furniture word is the article's wrapper after all."""
        if words(node) & THREAD_WORDS:
            return False
        share = self.text.get(node, 0) / max(self.text.get(scope, 0), 1)
        density = self.link_density(node)
        if share >= WRAPPER_SHARE:
            return density <= WRAPPER_LINKED
        return share >= CONTENT_SHARE and density <= LINKED and bool(words(node) & CONTENT_WORDS)

    def in_furniture(self, node: etree._Element) -> bool:
        """True when an ancestor that is a minority of the page is a sidebar, thread or box."""
        page = max(self.unlinked(self.root), 1)
        for parent in node.iterancestors():
            if self.unlinked(parent) >= WRAPPER_SHARE * page:
                break  # a page-wide wrapper's words say nothing about one article
            if parent.tag in {"aside", "nav", "footer"}:
                return True
            found = words(parent)
            marks = " ".join(sorted(found))
            if found & ANCESTOR_WORDS or (
                marks and BOILERPLATE_PART.search(marks) and not found & CONTENT_WORDS
            ):
                return True
        return False

    def articles(self) -> list[list[etree._Element]]:
        """Each main article as its sections, in page order; the densest block when none."""
        found = []
        for node in self.root.iter("article"):
            if any(parent.tag == "article" for parent in node.iterancestors()):
                continue
            if words(node) & THREAD_WORDS or self.in_furniture(node) or self._listing(node):
                continue
            length = self.unlinked(node)
            if length >= 60:
                found.append((node, length))
        if found:
            longest = max(length for _, length in found)
            # teaser cards are short next to the story; a second full story is not
            return [[node] for node, length in found if length >= min(longest / 5, 400)]
        return [self.densest()]

    def _listing(self, article: etree._Element) -> bool:
        """An <article> that is mostly other <article>s: a list of posts, not a story."""
        posts = [
            node
            for node in article.iterdescendants("article")
            if next(node.iterancestors("article")) is article
        ]
        held = sum(self.unlinked(node) for node in posts)
        return len(posts) >= 2 and held >= WRAPPER_SHARE * self.unlinked(article)

    def densest(self) -> list[etree._Element]:
        """The container whose paragraphs, of any block tag, hold the most unlinked text, and
        the containers of the same class that continue it (a story split around a figure).

        Readability's scheme: a paragraph's text counts fully for its container and half for
        the container's parent; linked text and furniture class words weigh a container down.
        """
        scores: dict[etree._Element, float] = {}
        for node, length in self.own.items():
            if length < PARAGRAPH_MIN:
                continue
            container = node.getparent()  # a <div> of loose text is a paragraph too
            if container is None:
                continue
            scores[container] = scores.get(container, 0.0) + length
            parent = container.getparent()
            if parent is not None:
                scores[parent] = scores.get(parent, 0.0) + length / 2
        weighted = {
            node: score * (1 - self.link_density(node)) * _class_weight(node)
            for node, score in scores.items()
        }
        ranked = sorted(weighted, key=weighted.__getitem__, reverse=True)[:CANDIDATES]
        for node in ranked:
            if self.in_furniture(node):
                weighted[node] /= 4
        if not ranked:
            body = self.root.find(".//body")
            return [body if body is not None else self.root]
        best = self._first_story(max(ranked, key=weighted.__getitem__), weighted)
        return self._sections(best, weighted)

    def _first_story(
        self, best: etree._Element, weighted: dict[etree._Element, float]
    ) -> etree._Element:
        """Within a container of several headlined stories (an infinite-scroll page, or the
        same story repeated for other devices), the best container of the first one."""
        headlines = list(best.iter("h1"))
        if len(headlines) < 2:
            return best
        end = self.position[headlines[1]]
        around, later = set(headlines[0].iterancestors()), set(headlines[1].iterancestors())
        first = [
            node
            for node in weighted
            if (node in around or self.position[node] > self.position[headlines[0]])
            and self.position[node] < end
            and node not in later
            and best in node.iterancestors()
        ]
        if not first:
            return best
        story = max(first, key=weighted.__getitem__)
        # a headline over a section of one long article is not the start of another story
        return story if weighted[story] >= STORY * weighted[best] else best

    def _sections(
        self, best: etree._Element, weighted: dict[etree._Element, float]
    ) -> list[etree._Element]:
        """`best` and the containers of its content class around it, no other headline between."""
        marks = best.get("class")
        if not marks or not words(best) & CONTENT_WORDS:
            return [best]  # a layout class ("row") repeats all over a page
        headlines = [self.position[h] for h in self.root.iter("h1")]
        sections = [best]
        for node, score in weighted.items():
            if node is best or node.get("class") != marks or score < SECTION * weighted[best]:
                continue
            low, high = sorted((self.position[node], self.position[best]))
            if any(low < h < high for h in headlines):
                continue  # another story's headline: an infinite-scroll page's next article
            nested = best in node.iterancestors() or node in best.iterancestors()
            if not nested and not self.in_furniture(node):
                sections.append(node)
        return sorted(sections, key=self.position.__getitem__)


def _class_weight(node: etree._Element) -> float:
    """How a container's own class words move its score: furniture down, content up."""
    if furniture_words(node):
        return 0.25
    return 1.5 if words(node) & CONTENT_WORDS else 1.0
