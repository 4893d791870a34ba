"""The few ``lxml.html`` element methods the reader needs, on plain ``lxml.etree`` elements.

Pages are parsed with ``etree.HTMLParser``: the same libxml2 parse as ``lxml.html``, without its element
classes (a class lookup on every node the reader visits).
"""

from __future__ import annotations

from lxml import etree
from lxml.etree import _Element

_STRING = etree.XPath("string()")


def text_content(el: _Element) -> str:
    """The text of the element and its descendants, as ``HtmlElement.text_content``."""
    return str(_STRING(el))


def drop_tree(el: _Element) -> None:
    """Remove the element and its children, keeping its tail, as ``HtmlElement.drop_tree``."""
    parent = el.getparent()
    assert parent is not None
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)
