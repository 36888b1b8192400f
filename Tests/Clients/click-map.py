#!/usr/bin/python3
"""A resident on the web map, in a real browser: headless Chromium driven by Selenium (both
from Debian: chromium-driver, python3-selenium).

    click-map.py PAGE_URL SCREENSHOT_PREFIX [HEADQUARTERS_TOKEN]

Waits for the page to load its layers, then
  1. clicks the map with the mouse at Asagaya (a real pointer event on the map element) and
     finds the route to a relief centre and its instructions in the page;
  2. with the keyboard only (Tab to the route button, Enter), routes again;
  3. reads the page as a screen reader does (Chromium's accessibility tree): the map, the
     language menu and the button have names, the instructions are a list in a live region;
  4. on a phone-sized screen (390 x 844), the map and the route panel are both on screen;
  5. given a headquarters token (the daemon's page only): headquarters closes the centre the
     route leads to, through the operations API, and the open page recolours its marker and
     routes again to another centre by itself (the live stream); the centre is then reopened.
Screenshots: PREFIX-click.png, PREFIX-phone.png. Prints PASS/FAIL lines; exit 1 on any FAIL.
Works for the daemon's page (http://) and for an export-site copy (file://) alike.
"""
import json
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

PAGE, PREFIX = sys.argv[1], sys.argv[2]
TOKEN = sys.argv[3] if len(sys.argv) > 3 else None
ASAGAYA = (35.7048, 139.6359)  # latitude, longitude of 阿佐ケ谷駅 (for Leaflet's order)
failures = []


def check(condition, what):
    print(("PASS " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def status(driver):
    return driver.execute_script("return document.getElementById('status').textContent")


def wait_for(driver, prefix, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        text = status(driver)
        if text.startswith(prefix) or text.startswith("ERROR"):
            return text
        time.sleep(0.2)
    return status(driver)


def instructions(driver):
    return [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#instructions li")]


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--window-size=1000,750", "--allow-file-access-from-files"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(60)
try:
    driver.get(PAGE)
    loaded = wait_for(driver, "LOADED")
    check(loaded.startswith("LOADED"), f"page loaded ({loaded})")

    # 1. A mouse click on the map at Asagaya.
    driver.execute_script("map.setView([arguments[0], arguments[1]], 16, {animate: false})", *ASAGAYA)
    element = driver.find_element(By.ID, "map")
    point = driver.execute_script(
        "const p = map.latLngToContainerPoint([arguments[0], arguments[1]]); return [p.x, p.y]", *ASAGAYA)
    size = element.size
    # Offsets from the element's centre (Selenium 4's origin for an element).
    ActionChains(driver).move_to_element_with_offset(
        element, int(point[0] - size["width"] / 2), int(point[1] - size["height"] / 2)).click().perform()
    routed = wait_for(driver, "ROUTED")
    steps = instructions(driver)
    check(routed.startswith("ROUTED"), f"a click on the map routes ({routed})")
    check(len(steps) >= 2, f"the route has its instructions in the page ({len(steps)}: {steps[-1:] if steps else []})")
    destination = driver.find_element(By.CSS_SELECTOR, "#route strong").text if steps else ""
    check(bool(destination), f"the route names its relief centre ({destination})")
    check(destination in (steps[-1] if steps else ""), "the last instruction is the arrival at that centre")
    check(driver.execute_script("return !!document.querySelector('path.leaflet-interactive[stroke=\"#0072b2\"]')"),
          "the route is drawn on the map")
    driver.save_screenshot(PREFIX + "-click.png")

    # 2. The keyboard alone: Tab from the language menu to the map (arrows pan it), then on to
    # the route button (past the map's own controls), Enter.
    driver.execute_script("document.getElementById('status').textContent = 'WAITING'")
    driver.find_element(By.ID, "language").send_keys(Keys.TAB)
    check(driver.switch_to.active_element.get_attribute("id") == "map", "Tab from the language menu reaches the map")
    before = driver.execute_script("return map.getCenter().lng")
    driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    time.sleep(0.6)
    check(driver.execute_script("return map.getCenter().lng") > before, "the arrow keys pan the focused map")
    presses = 0
    while driver.switch_to.active_element.get_attribute("id") != "route-centre" and presses < 20:
        driver.switch_to.active_element.send_keys(Keys.TAB)
        presses += 1
    focused = driver.switch_to.active_element.get_attribute("id")
    check(focused == "route-centre", f"Tab then reaches the route button ({presses} more presses)")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    check(wait_for(driver, "ROUTED").startswith("ROUTED"), "Enter on the button routes from the map centre")

    # 3. What a screen reader is given.
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]

    def named(role):
        return [n.get("name", {}).get("value", "") for n in tree
                if n.get("role", {}).get("value") == role and not n.get("ignored")]

    check(any(named("button")), f"buttons have names ({named('button')[:3]})")
    check(any(named("combobox")) or any(named("ComboBoxSelect")) or any(named("PopUpButton")),
          "the language menu has a name")
    live = driver.execute_script("return document.getElementById('route').getAttribute('aria-live')")
    check(live == "polite", "the route panel is a live region, so a new route is read out")
    items = [n for n in tree if n.get("role", {}).get("value") == "listitem" and not n.get("ignored")]
    check(len(items) >= 2, f"the instructions are a list a screen reader reads ({len(items)} items)")
    check(bool(driver.find_element(By.ID, "map").get_attribute("aria-label")), "the map has a label")

    # 4. A phone.
    driver.set_window_size(390, 844)
    time.sleep(0.5)
    map_box = driver.find_element(By.ID, "map").rect
    panel_box = driver.find_element(By.ID, "panel").rect
    height = driver.execute_script("return window.innerHeight")
    check(map_box["height"] >= 200 and map_box["y"] + 50 < height, f"the map is on a phone's screen ({map_box})")
    check(panel_box["y"] < height, f"the route panel starts on the screen ({panel_box})")
    driver.save_screenshot(PREFIX + "-phone.png")

    # 5. Live: headquarters closes the centre on the screen; the page follows by itself.
    if TOKEN:
        driver.set_window_size(1000, 750)
        name = driver.find_element(By.CSS_SELECTOR, "#route strong").text
        centre = driver.execute_script(
            "for (const [id, e] of centreMarkers) if (e.feature.properties.name === arguments[0]) return id; return null",
            name)
        check(centre is not None, f"the routed centre {name} is a marker on the map")

        def set_state(state):
            base = PAGE.split("?")[0].rstrip("/")
            request = urllib.request.Request(
                f"{base}/centres/{centre}/status", method="POST", data=json.dumps({"state": state}).encode(),
                headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
            return urllib.request.urlopen(request).status

        driver.execute_script("document.getElementById('status').textContent = 'WAITING'")
        check(set_state("closed") == 200, f"headquarters closes {centre}")
        rerouted = wait_for(driver, "ROUTED", 10)
        colour = driver.execute_script("return centreMarkers.get(arguments[0]).marker.options.fillColor", centre)
        now = driver.find_element(By.CSS_SELECTOR, "#route strong").text
        check(colour == "#000000", f"the page recoloured the closed centre by itself ({colour})")
        check(rerouted.startswith("ROUTED") and now != name, f"the page routed again, now to {now}, not {name}")
        check(bool(driver.find_element(By.ID, "live").text), "the page says it is updating live")
        driver.save_screenshot(PREFIX + "-live.png")
        check(set_state("open") == 200, f"headquarters reopens {centre}")
finally:
    driver.quit()

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
