"""The web UI of `apex serve`, driven in headless Chromium (Debian's) with Selenium.

Run by scripts/ui-test.sh, which installs what it needs. Each test talks to a real `apex
serve` (auth on, SQLite, a worker) on 127.0.0.1, started once for the module, and to a local
HTTP endpoint that answers slowly so that a step is seen running. Screenshots go to
$APEX_UI_ARTIFACTS (docs/ui.md shows them).
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

APEX = os.environ.get("APEX_BINARY", ".build/debug/apex")
ARTIFACTS = os.environ.get("APEX_UI_ARTIFACTS", ".build/ui-artifacts")

APPROVAL = """\
apex: 1
name: ui-approval
input:
  type: object
  required: [slow_url]
  properties: {slow_url: {type: string}}
steps:
  - id: fetch
    http: {method: GET, url: "${{ input.slow_url }}"}
  - id: approval
    wait:
      signal: approve
      schema:
        type: object
        required: [approved]
        additionalProperties: false
        properties:
          approved: {type: boolean}
          note: {type: string, maxLength: 40}
  - id: done
    set: {approved: "${{ steps.approval.output.approved }}"}
output: ${{ steps.done.output.approved }}
"""

# One llm step of the mock provider, whose reply (scripted in FIXTURES) comes after 2 s.
STREAMED = """\
apex: 1
name: ui-llm
llm: {provider: mock, model: m}
steps:
  - id: draft
    llm: {prompt: "tell me about cats"}
output: ${{ steps.draft.output.text }}
"""
FIXTURES = "draft: {text: A reply streamed to the page., delay: 2s}\n"


def mint(secret, scope="runs:read runs:write signals:write workflows:write"):
    """An HS256 JWT for namespace default, valid for an hour (the standard library only)."""
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=").decode()
    signed = part({"alg": "HS256", "typ": "JWT"}) + "." + part({"sub": "ui-test", "exp": int(time.time()) + 3600, "scope": scope})
    signature = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    return signed + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


class SlowHandler(http.server.BaseHTTPRequestHandler):
    """GET /slow?ms=N answers {"ok": true} after N milliseconds."""

    def do_GET(self):
        match = re.search(r"ms=(\d+)", self.path)
        time.sleep(int(match.group(1)) / 1000 if match else 0)
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server:
    """A real `apex serve` with auth on, and a client of its API."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="apex-ui-")
        self.secret = secrets.token_hex(32)
        self.token = mint(self.secret)
        environment = dict(os.environ, APEX_JWT_SECRET=self.secret)
        self.log = open(os.path.join(self.folder, "serve.log"), "w+")
        fixtures = os.path.join(self.folder, "fixtures.yaml")
        with open(fixtures, "w") as file:
            file.write(FIXTURES)
        self.process = subprocess.Popen(
            [APEX, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--db", f"sqlite:{self.folder}/apex.db", "--llm-fixtures", fixtures],
            env=environment, stderr=self.log, stdout=subprocess.DEVNULL)
        deadline = time.time() + 30
        self.url = None
        while time.time() < deadline and self.url is None:
            self.log.seek(0)
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", self.log.read())
            if found:
                self.url = found.group(1)
            elif self.process.poll() is not None:
                break
            time.sleep(0.05)
        if self.url is None:
            self.stop()
            raise RuntimeError("apex serve did not start: " + open(self.log.name).read())

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def server():
    running = Server()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def slow_url():
    endpoint = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    thread = threading.Thread(target=endpoint.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{endpoint.server_address[1]}/slow"
    endpoint.shutdown()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("APEX_CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(os.environ.get("APEX_CHROMEDRIVER", "/usr/bin/chromedriver")))
    driver.set_window_size(1280, 800)
    yield driver
    driver.quit()


def wait(driver, condition, seconds=15):
    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(condition)


def node_attribute(driver, step, name):
    """An attribute of a step's node in the run's graph (read by a script: no stale element)."""
    return driver.execute_script("const node = document.querySelector(`#graph .node[data-step='${arguments[0]}']`);"
                                 "return node ? node.getAttribute(arguments[1]) : null", step, name)


def node_status(driver, step):
    return node_attribute(driver, step, "data-status")


def console_errors(driver):
    """The page's console errors since the last call (Chromium's SEVERE level)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(driver, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, name))


def sign_in(driver, server):
    driver.get(server.url + "/#/runs")
    wait(driver, EC.visibility_of_element_located((By.ID, "auth-needed")))
    driver.find_element(By.CSS_SELECTOR, "#auth-needed button").click()
    field = wait(driver, EC.visibility_of_element_located((By.ID, "token-input")))
    field.clear()
    field.send_keys(server.token)
    driver.find_element(By.CSS_SELECTOR, '#token-form button[value="save"]').click()
    wait(driver, EC.presence_of_element_located((By.ID, "runs")))


def test_without_a_token_the_page_asks_for_one_then_lists_runs(server, browser):
    browser.get(server.url + "/")
    prompt = wait(browser, EC.visibility_of_element_located((By.ID, "auth-needed")))
    assert "needs a token" in prompt.text
    sign_in(browser, server)
    assert browser.find_element(By.CSS_SELECTOR, '[data-count="all"]').text.startswith("all")
    # The 401s of the first calls are the only console errors allowed (Chromium logs failed fetches).
    assert all("401" in entry["message"] for entry in console_errors(browser))


def test_a_run_moves_on_its_graph_and_is_signalled_from_the_form(server, browser, slow_url):
    server.call("POST", "/v1/workflows", {"source": APPROVAL})
    run = server.call("POST", "/v1/runs", {"workflow": "ui-approval", "input": {"slow_url": slow_url + "?ms=2500"}})
    browser.get(f"{server.url}/#/runs/{run['id']}")
    # The http step is seen running, then the wait step waiting: classes change without a reload.
    wait(browser, lambda driver: "status-running" in (node_attribute(driver, "fetch", "class") or ""))
    wait(browser, lambda driver: node_status(driver, "approval") == "waiting")
    assert node_status(browser, "fetch") == "completed"
    assert node_status(browser, "done") == "pending"

    # A click on a step shows its attempts.
    browser.find_element(By.CSS_SELECTOR, '#graph .node[data-step="fetch"]').click()
    wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, "#step-details table.attempts")))
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#step-details table.attempts"), "completed"))

    # The form is built from the wait step's schema; a payload that fails it is refused here.
    form = wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, 'form[data-signal="approve"]')))
    form.find_element(By.ID, "signal-approve-note").send_keys("x" * 41)
    form.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    errors = wait(browser, EC.visibility_of_element_located((By.ID, "signal-errors-approve")))
    assert '"approved" is required' in errors.text
    assert "at most 40 characters" in errors.text
    history = server.call("GET", f"/v1/runs/{run['id']}/history?limit=1000")["events"]
    assert not any(event["type"] == "SignalReceived" for event in history), "a refused payload reached the server"
    screenshot(browser, "run-waiting.png")

    note = form.find_element(By.ID, "signal-approve-note")
    note.clear()
    note.send_keys("looks good")
    Select(form.find_element(By.ID, "signal-approve-approved")).select_by_visible_text("true")
    form.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    wait(browser, lambda driver: node_status(driver, "done") == "completed")
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#run-head h1"), "completed"))
    assert node_status(browser, "approval") == "completed"
    assert "true" in browser.find_element(By.ID, "run-output").text
    assert [event["type"] for event in server.call("GET", f"/v1/runs/{run['id']}/history?limit=1000")["events"]
            if event["type"] == "SignalReceived"] == ["SignalReceived"]
    screenshot(browser, "run.png")
    assert console_errors(browser) == []


def test_a_running_llm_steps_reply_shows_as_it_streams(server, browser):
    run = server.call("POST", "/v1/runs", {"source": STREAMED})
    browser.get(f"{server.url}/#/runs/{run['id']}")
    wait(browser, lambda driver: node_status(driver, "draft") == "running")
    reply = wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, "#live-reply pre")))
    wait(browser, lambda driver: "A reply streamed to the page." in reply.text)
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#run-head h1"), "completed"))
    assert console_errors(browser) == []


def test_the_list_updates_live_and_filters(server, browser, slow_url):
    browser.get(server.url + "/#/runs")
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#runs tbody tr[data-run]")))
    before = len(browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr[data-run]"))
    run = server.call("POST", "/v1/runs", {"workflow": "ui-approval", "input": {"slow_url": slow_url + "?ms=0"}})
    # The table is redrawn at each change: rows are found again each time (EC conditions do).
    row = (By.CSS_SELECTOR, f'#runs tr[data-run="{run["id"]}"]')
    wait(browser, EC.text_to_be_present_in_element(row, "running"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr[data-run]")) == before + 1
    server.call("POST", f"/v1/runs/{run['id']}/signals/approve", {"approved": False})
    wait(browser, EC.text_to_be_present_in_element(row, "completed"))
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, '[data-count="completed"]'), "completed 3"))
    screenshot(browser, "runs.png")

    Select(browser.find_element(By.ID, "filter-status")).select_by_visible_text("running")
    browser.find_element(By.CSS_SELECTOR, '#run-filters button[type="submit"]').click()
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#runs tbody"), "No runs match."))
    assert "status=running" in browser.current_url
    assert console_errors(browser) == []


def test_cancel_asks_for_confirmation(server, browser, slow_url):
    run = server.call("POST", "/v1/runs", {"workflow": "ui-approval", "input": {"slow_url": slow_url + "?ms=0"}})
    browser.get(f"{server.url}/#/runs/{run['id']}")
    wait(browser, lambda driver: node_status(driver, "approval") == "waiting")
    browser.find_element(By.ID, "cancel").click()
    dialog = wait(browser, EC.visibility_of_element_located((By.ID, "confirm-dialog")))
    dialog.find_element(By.CSS_SELECTOR, 'button[value="no"]').click()
    time.sleep(0.3)
    assert server.call("GET", f"/v1/runs/{run['id']}")["status"] == "running"
    browser.find_element(By.ID, "cancel").click()
    wait(browser, EC.visibility_of_element_located((By.ID, "confirm-reason"))).send_keys("not needed")
    browser.find_element(By.ID, "confirm-yes").click()
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#run-head h1"), "cancelled"))
    assert server.call("GET", f"/v1/runs/{run['id']}")["status"] == "cancelled"
    assert console_errors(browser) == []


def test_a_run_is_found_by_id_and_its_steps_are_reachable_with_the_keyboard(server, browser, slow_url):
    run = server.call("POST", "/v1/runs", {"workflow": "ui-approval", "input": {"slow_url": slow_url + "?ms=0"}})
    browser.get(f"{server.url}/#/workflows")
    search = wait(browser, EC.element_to_be_clickable((By.ID, "search-id")))
    search.send_keys(run["id"], Keys.ENTER)
    wait(browser, EC.url_contains(f"#/runs/{run['id']}"))
    wait(browser, lambda driver: node_status(driver, "approval") == "waiting")
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        if focused.get_attribute("data-step") == "fetch":
            break
    else:
        pytest.fail("Tab never reached the fetch step's node")
    focused.send_keys(Keys.ENTER)
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#step-details h2"), "fetch"))
    server.call("POST", f"/v1/runs/{run['id']}/cancel", {})


def test_workflows_show_versions_source_graph_and_validate(server, browser):
    browser.get(server.url + "/#/workflows")
    link = wait(browser, EC.element_to_be_clickable((By.LINK_TEXT, "ui-approval")))
    link.click()
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".graph svg .node[data-step='approval']")))
    assert browser.find_element(By.ID, "source-line-1").text == "apex: 1"
    source = browser.find_element(By.ID, "validate-source")
    source.clear()
    source.send_keys("apex: 1\nname: broken\nsteps:\n  - id: a\n    sleeep: 1s\n")
    browser.find_element(By.XPATH, "//button[text()='Validate']").click()
    wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, "#validate-result .diagnostics li")))
    found = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#validate-result .diagnostics li")]
    assert any(text.startswith("5:5 error [unknown-key]") for text in found), found
    assert "flag-error" in browser.find_element(By.CSS_SELECTOR, "#checked-line-5").get_attribute("class")
    assert console_errors(browser) == []


def test_a_phone_sized_viewport_has_no_sideways_scroll(server, browser):
    run = server.call("GET", "/v1/runs?limit=1")["runs"][0]
    browser.set_window_size(390, 844)
    try:
        for page in ["/#/runs", f"/#/runs/{run['id']}", "/#/workflows"]:
            browser.get(server.url + page)
            wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "main .panel")))
            time.sleep(0.3)
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{page} scrolls sideways by {overflow} px"
            if page.startswith("/#/runs/"):
                screenshot(browser, "run-phone.png")
    finally:
        browser.set_window_size(1280, 800)
    assert console_errors(browser) == []
