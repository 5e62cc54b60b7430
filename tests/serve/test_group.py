"""A group run (two trained members): one model id per member, and the page lets them talk among themselves."""

from __future__ import annotations

import httpx
import pytest

from simulacra.schema import write_conversations
from tests.conftest import two_friend_sessions
from tests.serve.conftest import start
from tests.serve.test_browser import browser  # noqa: F401 - the headless chromium fixture


@pytest.fixture(scope="module")
def group_live(tmp_path_factory, tiny_model_dir):
    from simulacra.prepare import PrepareConfig
    from simulacra.prepare import run as prepare
    from simulacra.train import TrainConfig
    from simulacra.train import run as train

    run_dir = tmp_path_factory.mktemp("group") / "pals"
    run_dir.mkdir()
    write_conversations(run_dir / "conversations.jsonl", [two_friend_sessions(10)])
    prepare(PrepareConfig(run_dir=run_dir, speakers=["Ana", "Ben"], model=str(tiny_model_dir)))
    train(TrainConfig(run_dir=run_dir, max_steps=2, batch_size=4, save_steps=100))
    live = start(run_dir)
    yield live
    live.stop()


def test_one_model_per_member(group_live):
    data = httpx.get(group_live.url + "/v1/models").json()["data"]
    assert [(m["id"], m["speaker"], m["user"]) for m in data] == [("pals/Ana", "Ana", "Ben"), ("pals/Ben", "Ben", "Ana")]
    r = httpx.post(group_live.url + "/v1/chat/completions", json={
        "model": "pals/Ben", "temperature": 0, "max_tokens": 3, "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["name"] == "Ben"


def test_members_talk_among_themselves_on_the_page(browser, group_live):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(group_live.url + "/")
    wait = WebDriverWait(browser, 60)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#model option"))
    turns = browser.find_element(By.ID, "turns")
    turns.clear()
    turns.send_keys("3")
    browser.find_element(By.ID, "talk").click()
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".msg.them.done")) == 3
               and not b.find_element(By.ID, "talk").get_attribute("disabled"))
    names = [e.find_element(By.CSS_SELECTOR, ".who").text for e in browser.find_elements(By.CSS_SELECTOR, ".msg.them")]
    assert names == ["Ana", "Ben", "Ana"]
    assert not browser.find_elements(By.CSS_SELECTOR, ".error")
