"""Search weights: a page about a word outranks one that mentions it in passing."""

from __future__ import annotations

import json
from collections import Counter

from jaxguide_build.glossarytips import Term
from jaxguide_build.searchweights import (
    TAUGHT,
    TITLE_WEIGHT,
    count_terms,
    script,
    taught_pages,
    weigh,
)


def keep(word: str) -> bool:
    return len(word) > 1


def test_terms_are_keyed_as_the_index_keys_them() -> None:
    counts = count_terms(
        ["Gradients", "gradient", "a"], ["Gradient"], lambda w: w.rstrip("s"), keep
    )
    assert counts == Counter({"gradient": 2 + TITLE_WEIGHT})


def test_the_page_about_a_word_weighs_more_than_a_passing_mention() -> None:
    counts = {
        "autodiff": Counter({"gradient": 12, "loss": 3, "array": 5}),
        "faq": Counter({"gradient": 1, "array": 1, "term": 40}),
        "numpy": Counter({"array": 30, "dtype": 10}),
    }
    table = weigh(counts)
    assert table["gradient"]["autodiff"] > table["gradient"]["faq"]
    assert table["array"]["numpy"] > table["array"].get("faq", 0)
    # A word on one page only has no tie to break, so it gets no weight.
    assert "dtype" not in table
    assert "loss" not in table


def test_weights_script_lists_pages_once() -> None:
    text = script({"grad": {"b": 3, "a": 1}, "jit": {"b": 2}})
    prefix = "var JAXGUIDE_SEARCH_WEIGHTS = "
    assert text.startswith(prefix)
    assert text.endswith(";\n")
    data = json.loads(text[len(prefix) : -2])
    assert data == {
        "pages": ["a", "b"],
        "terms": {"grad": [[0, 1], [1, 3]], "jit": [[1, 2]]},
        "taught": {},
        "taughtWeight": TAUGHT,
    }
    assert weigh({}) == {}


def test_title_words_and_hub_pages() -> None:
    counts = {
        "index": Counter({"vmap": 9, "jit": 9}),
        "vmap": Counter({"vmap": 2, "jit": 5}),
        "jit": Counter({"vmap": 3, "jit": 2}),
        "other": Counter({"batch": 1}),
    }
    table = weigh(counts, {"vmap": {"vmap"}, "jit": {"jit"}})
    assert "index" not in table["vmap"]
    assert "index" not in table["jit"]
    assert table["vmap"]["vmap"] > table["vmap"]["jit"]  # named in its title
    assert table["jit"]["jit"] > table["jit"]["vmap"]


def test_a_glossary_term_by_any_of_its_names_points_at_the_page_that_teaches_it() -> None:
    terms = [
        Term("设备网格", "term-mesh", "…", ("设备网格", "mesh"), ("parallelism-devices",)),
        Term("Device Memory", "term-memory", "…", ("Device  Memory",), ("sharp-bits", "x")),
        Term("cell", "term-cell", "…", ("cell",), ()),  # points nowhere: left out
    ]
    taught = taught_pages(terms)
    assert taught == {
        "device memory": ["sharp-bits", "x"],
        "mesh": ["parallelism-devices"],
        "设备网格": ["parallelism-devices"],
    }
    data = json.loads(script({"grad": {"a": 1}}, taught).split(" = ", 1)[1].rstrip(";\n"))
    assert [data["pages"][i] for i in data["taught"]["mesh"]] == ["parallelism-devices"]
    assert data["taughtWeight"] == TAUGHT
