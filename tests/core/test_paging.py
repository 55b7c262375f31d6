"""Lists offer page numbers, a jump and a page size, and say "more than N" where counting the
whole list would cost as much as the page (issue 13 point 4)."""

from __future__ import annotations

import re

from django.urls import reverse

from fpa.core.paging import AHEAD, page_of
from fpa.orgs.models import Org
from tests.factories import UserFactory


def _orgs():
    return Org.unscoped_objects.order_by("path")


def test_a_page_knows_the_pages_ahead_and_numbers_around_it(tree):
    count = _orgs().count()  # the mini province: 15
    page = page_of(_orgs(), "3", 2)
    assert page.last_known == (count + 1) // 2 and not page.more
    assert page.numbers == [1, 2, 3, 4, 5, None, 8]
    first = page_of(_orgs(), None, 2)
    assert first.numbers == [1, 2, 3, None, 8]


def test_past_the_counted_pages_it_says_more_than(tree):
    page = page_of(_orgs(), "1", 1)
    assert page.last_known == 1 + AHEAD and page.more
    assert page.rows_known == AHEAD


def test_a_known_total_gives_every_page(tree):
    page = page_of(_orgs(), "2", 4, total=15)
    assert page.last_known == 4 and not page.more and page.numbers == [1, 2, 3, 4]


def test_the_size_comes_from_the_request_within_the_offered_sizes(tree):
    assert page_of(_orgs(), {"size": "20"}, 5).size == 20
    assert len(page_of(_orgs(), {"size": "20"}, 5).object_list) == 15
    for bad in ("7", "²", "100000", ""):
        assert page_of(_orgs(), {"size": bad}, 5).size == 5


def test_the_pager_jumps_keeping_the_filters(tree, client):
    user = UserFactory(username="p", org=tree["430000000000"], roles=["clerk"])
    client.force_login(user)
    page = client.get(reverse("orgs:search"), {"q": "4", "size": "20"}).content.decode()
    jump = re.search(r'data-testid="pager-jump">(.*?)</form>', page, re.S).group(1)
    assert '<input type="hidden" name="q" value="4">' in jump
    assert 'name="page"' in jump and '<option value="20" selected>' in jump
    assert "csrfmiddlewaretoken" not in jump
    assert re.search(r'data-testid="pager-count">第 1 页，共 \d+ 条', page)
