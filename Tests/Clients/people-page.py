#!/usr/bin/python3
"""Headquarters on the people page (要配慮者 安否確認), in a real browser: headless Chromium driven
by Selenium (both from Debian: chromium-driver, python3-selenium).

    people-page.py PAGE_URL TOKEN SCREENSHOT

  1. types the token into the page and shows the roster: the totals, the tables per relief
     centre and per town, the list and the map's markers agree with the API's own answers;
  2. records the first person of the list as safe at home through the page's form, and the
     page shows one unconfirmed fewer, with the API agreeing;
  3. the token stays in the tab (sessionStorage), never in the address or localStorage;
  4. a wrong token gets the API's reason on the page, and no one's data.
Screenshot: SCREENSHOT (the page after the record). Prints PASS/FAIL lines; exit 1 on any FAIL.
"""
import json
import sys
import time
import urllib.request
from urllib.parse import urljoin

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

PAGE, TOKEN, SCREENSHOT = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(condition, what):
    print(("PASS " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def api(path):
    request = urllib.request.Request(urljoin(PAGE, "../" + path), headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def status(driver):
    return driver.execute_script("return document.getElementById('status').textContent")


def wait_for(driver, prefix, seconds=60, unlike=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        text = status(driver)
        if (text.startswith(prefix) and text != unlike) or text.startswith("ERROR"):
            return text
        time.sleep(0.2)
    return status(driver)


def fields(text):
    return dict(part.split("=") for part in text.split()[1:])


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--window-size=1100,800"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(60)
try:
    # 4 first: a wrong token.
    driver.get(PAGE)
    driver.find_element(By.ID, "token").send_keys("not-a-token")
    driver.find_element(By.CSS_SELECTOR, "#login button").click()
    refused = wait_for(driver, "ERROR")
    message = driver.find_element(By.ID, "message").text
    check(refused == "ERROR 401", f"a wrong token is refused ({refused})")
    check("401" in message and len(message) > 12, f"the page says why ({message})")
    check(not driver.find_elements(By.CSS_SELECTOR, "#people li"), "and shows no one")

    # 1. The right token.
    driver.execute_script("sessionStorage.clear()")
    driver.get(PAGE)
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.CSS_SELECTOR, "#login button").click()
    ready = wait_for(driver, "READY")
    check(ready.startswith("READY"), f"the roster is shown ({ready})")
    shown = fields(ready)
    summary = api("people/summary")
    unconfirmed = api("people?state=unconfirmed")["people"]
    check(int(shown["people"]) == summary["people"] and int(shown["unconfirmed"]) == summary["unconfirmed"],
          f"the totals are the API's ({shown} vs {summary['people']}, {summary['unconfirmed']})")
    check(int(shown["markers"]) == len([p for p in unconfirmed if p.get("position")]),
          f"a marker per unconfirmed person with a position ({shown['markers']})")
    check(int(shown["listed"]) == len(unconfirmed), f"the list holds the unconfirmed ({shown['listed']})")
    rows = driver.find_elements(By.CSS_SELECTOR, "#by-centre tbody tr")
    check(len(rows) == len(summary["by_centre"]), f"a row per relief centre ({len(rows)})")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#by-town tbody tr")) == len(summary["by_town"]),
          "a row per town")
    first = driver.find_element(By.CSS_SELECTOR, "#people li")
    person = first.get_attribute("data-person")
    check(bool(first.find_element(By.CSS_SELECTOR, ".who").text), f"the first to check is named ({person})")

    # 2. Record through the form.
    first.find_element(By.CSS_SELECTOR, "select[name=state]").send_keys("在宅で無事")
    first.find_element(By.CSS_SELECTOR, "input[name=source]").send_keys("本部（電話）")
    driver.execute_script("document.getElementById('status').textContent = 'WAITING'")
    first.find_element(By.CSS_SELECTOR, ".record button").click()
    after = wait_for(driver, "READY")
    check(after.startswith("READY") and int(fields(after)["unconfirmed"]) == summary["unconfirmed"] - 1,
          f"the page shows one unconfirmed fewer ({after})")
    check(api("people/summary")["unconfirmed"] == summary["unconfirmed"] - 1, "and the API agrees")
    check(person not in [p["id"] for p in api("people?state=unconfirmed")["people"]],
          f"{person} is confirmed")
    check("記録しました" in driver.find_element(By.ID, "message").text, "the page says it was recorded")
    driver.save_screenshot(SCREENSHOT)

    # 3. Where the token lives.
    check(TOKEN not in driver.current_url, "the token is not in the address")
    check(driver.execute_script("return localStorage.length") == 0, "nothing in localStorage")
    check(driver.execute_script("return sessionStorage.getItem('refd-token')") == TOKEN, "the token is in the tab only")
finally:
    driver.quit()

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
