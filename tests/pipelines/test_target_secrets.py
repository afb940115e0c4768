import pytest

from pipelines.notify import expand_url, mask_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("mailto://user:hunter2@example.com", "mailto://user:****@example.com"),
        ("json://alerts:p%40ss@127.0.0.1:8080/hook", "json://alerts:****@127.0.0.1:8080/hook"),
        (
            "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#tv",
            "slack://****/****/****/#tv",
        ),
        (
            "mailto://127.0.0.1:25?from=a@example.com&to=b@example.com&pass=hunter2",
            "mailto://127.0.0.1:25?from=a@example.com&to=b@example.com&pass=****",
        ),
        ("json://127.0.0.1:8080/hook", "json://127.0.0.1:8080/hook"),  # nothing secret
        ("slack://${SLACK_TOKEN}/#tv", "slack://${SLACK_TOKEN}/#tv"),  # the placeholder only
        ("nonsense://user:hunter2@host", "nonsense://user:****@host"),  # not even Apprise's
    ],
)
def test_passwords_and_tokens_are_masked(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_env_values_are_encoded_for_the_part_of_the_url_they_fill(monkeypatch) -> None:
    monkeypatch.setenv("PASSWORD", "p@ss/w#rd")
    monkeypatch.setenv("TOKENS", "T1/A1/x#y")
    expanded, secrets = expand_url("json://me:${PASSWORD}@127.0.0.1/hook?key=${PASSWORD}")
    assert expanded == "json://me:p%40ss%2Fw%23rd@127.0.0.1/hook?key=p%40ss%2Fw%23rd"
    assert secrets == {"${PASSWORD}": "p@ss/w#rd"}
    # in the host and path a value may hold Apprise's /-separated tokens, but never a '#'
    assert expand_url("slack://${TOKENS}/#tv")[0] == "slack://T1/A1/x%23y/#tv"
